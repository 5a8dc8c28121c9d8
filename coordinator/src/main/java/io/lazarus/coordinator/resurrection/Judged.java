package io.lazarus.coordinator.resurrection;

/**
 * One candidate and what became of it.
 *
 * @param nextAttemptId the attempt it came back as, for a resurrected one
 */
public record Judged(DeadLetteredMessage candidate, Verdict verdict, String nextAttemptId, boolean dryRun) {

    /** One line for the operator. */
    public String describe() {
        DeadLetteredMessage c = candidate;
        String what = switch (verdict.kind()) {
            case RESURRECT -> (dryRun ? "would come back" : "resurrected") + " as attempt " + (c.attempt() + 1);
            case QUARANTINE -> dryRun ? "would be quarantined" : "quarantined";
            case DROP -> dryRun ? "would be dropped" : "dropped";
            case LEAVE -> "left in place";
        };
        return "%s %s attempt %d (%s): %s: %s".formatted(c.runId(), c.nodeId(), c.attempt(), c.deadLetter().reason(),
                what, verdict.detail());
    }
}
