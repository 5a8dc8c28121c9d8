package io.lazarus.coordinator.run;

/**
 * Decides, as outcomes arrive, how many more of a run's nodes to release: a canary first, then a window of nodes in
 * flight, until the failure budget is spent. Once it stops, it never releases again; the nodes never released are
 * the run's CANCELLED ones.
 */
final class ReleasePlan {

    private final int total;
    private final FlowControl flow;
    private final int failureBudget;
    private String stopped;

    ReleasePlan(int total, FlowControl flow) {
        this.total = total;
        this.flow = flow;
        this.failureBudget = flow.failureBudget(total);
    }

    /**
     * How many more nodes to release now.
     *
     * @param released  nodes released so far
     * @param succeeded released nodes that succeeded
     * @param failed    released nodes that ended without success
     */
    int releasable(int released, int succeeded, int failed) {
        if (stopped != null) {
            return 0;
        }
        if (failed > failureBudget) {
            stopped = "failure budget spent: " + failed + " node(s) failed, " + failureBudget + " allowed";
            return 0;
        }
        int finished = succeeded + failed;
        int canary = flow.canary(total);
        if (canary > 0 && released == canary) {
            if (finished < canary) {
                return 0;
            }
            if (succeeded < canary) {
                stopped =
                        "canary failed: " + (canary - succeeded) + " of " + canary + " canary node(s) did not succeed";
                return 0;
            }
        }
        int limit = canary > 0 && released < canary ? canary : total;
        int room = limit - released;
        if (flow.maxInFlight() > 0) {
            room = Math.min(room, flow.maxInFlight() - (released - finished));
        }
        return Math.max(0, room);
    }

    /** Stops releasing for good, for example because an operator cancelled the run. */
    void stop(String why) {
        if (stopped == null) {
            stopped = why;
        }
    }

    /** Why release stopped early; null while it has not. */
    String stopped() {
        return stopped;
    }
}
