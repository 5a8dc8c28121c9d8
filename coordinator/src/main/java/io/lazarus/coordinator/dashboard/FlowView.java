package io.lazarus.coordinator.dashboard;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.run.FlowControl;
import java.util.List;

/**
 * A run's flow control on its page: each limit as configured beside where the run stands against it, counted from
 * the registry's nodes as {@code ReleasePlan} counts them (a node is released once its attempt is recorded as
 * dispatched; FAILED and CANCELLED spend the budget).
 *
 * @param limited   whether any limit holds nodes back; if not, every node was released at once
 * @param released  e.g. {@code 3 of 9, 6 held back}
 * @param canary    e.g. {@code 1 node: failed, 1 of 1 did not succeed}; {@code none}
 * @param canaryFailed whether the canary failed: the page marks it with a symbol besides the words
 * @param inFlight  e.g. {@code 2 now, at most 3}
 * @param failures  e.g. {@code 1 so far, at most 0 allowed}
 * @param stopped   why release stopped before every node was released; null if it has not
 */
record FlowView(
        boolean limited,
        String released,
        String canary,
        boolean canaryFailed,
        String inFlight,
        String failures,
        String stopped) {

    static FlowView of(FlowControl flow, List<NodeRecord> nodes, String stopped) {
        int total = nodes.size();
        List<NodeRecord> out =
                nodes.stream().filter(n -> n.dispatchedAttemptId() != null).toList();
        int finished = finished(out);
        int failed = (int)
                out.stream().filter(n -> FlowControl.spendsBudget(n.state())).count();
        long held = nodes.stream()
                .filter(n -> n.dispatchedAttemptId() == null && n.state() == NodeState.PENDING)
                .count();
        long never = nodes.stream()
                .filter(n -> n.dispatchedAttemptId() == null && n.state() == NodeState.CANCELLED)
                .count();
        String released = out.size() + " of " + total
                + (held > 0 ? ", " + held + " held back" : "")
                + (never > 0 ? ", " + never + " never released (cancelled)" : "");
        int budget = flow.failureBudget(total);
        String allowed = budget == Integer.MAX_VALUE
                ? "no budget"
                : "at most " + budget + " allowed"
                        + (flow.maxFailuresPercent() != null
                                ? " (" + flow.maxFailuresPercent() + "% of " + total + ")"
                                : "");
        Canary canary = Canary.of(flow, nodes);
        return new FlowView(
                flow.limitsRelease(),
                released,
                canary.text(),
                canary.failed(),
                (out.size() - finished) + " now, "
                        + (flow.maxInFlight() > 0 ? "at most " + flow.maxInFlight() : "no limit"),
                failed + " so far, " + allowed,
                stopped);
    }

    /** Released nodes with an outcome that counts for release: succeeded, or spent the budget. */
    private static int finished(List<NodeRecord> released) {
        return (int) released.stream()
                .filter(n -> n.state() == NodeState.SUCCEEDED || FlowControl.spendsBudget(n.state()))
                .count();
    }

    /** The first nodes of the run, released alone; the rest only once all of them succeeded. */
    private record Canary(String text, boolean failed) {

        static Canary of(FlowControl flow, List<NodeRecord> nodes) {
            int size = flow.canary(nodes.size());
            if (size == 0) {
                return new Canary(
                        flow.canary() > 0 ? "none: " + flow.canary() + " asked for, the whole run" : "none", false);
            }
            List<NodeRecord> canary = nodes.subList(0, size);
            String named = size + " node" + (size == 1 ? "" : "s") + ": ";
            if (canary.stream().anyMatch(n -> n.dispatchedAttemptId() == null)) {
                return new Canary(named + "not released", false);
            }
            int finished = finished(canary);
            int succeeded = (int) canary.stream()
                    .filter(n -> n.state() == NodeState.SUCCEEDED)
                    .count();
            if (finished < size) {
                return new Canary(named + "waiting, " + finished + " of " + size + " finished", false);
            }
            if (succeeded == size) {
                return new Canary(named + "passed, " + size + " of " + size + " succeeded", false);
            }
            return new Canary(named + "failed, " + (size - succeeded) + " of " + size + " did not succeed", true);
        }
    }
}
