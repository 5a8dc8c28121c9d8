package io.lazarus.coordinator.resurrection;

/**
 * One candidate and what became of it.
 *
 * @param nextAttemptId the attempt it came back as, for a resurrected one
 * @param nextAttempt   that attempt's number, from the registry
 * @param resurrections the node's resurrections once the verdict is carried out, as the registry counts them
 */
public record Judged(
        DeadLetteredMessage candidate,
        Verdict verdict,
        String nextAttemptId,
        int nextAttempt,
        int resurrections,
        boolean dryRun) {

    /** One line for the operator. */
    public String describe() {
        DeadLetteredMessage c = candidate;
        return "%s %s attempt %d (%s): %s"
                .formatted(c.runId(), c.nodeId(), c.attempt(), c.deadLetter().reason(), outcome());
    }

    /** What became (or, in a dry run, would become) of it, and why: "would come back as attempt 2: resurrection 1 of 3". */
    public String outcome() {
        String what = switch (verdict.kind()) {
            case RESURRECT -> (dryRun ? "would come back" : "resurrected") + " as attempt " + nextAttempt;
            case QUARANTINE -> dryRun ? "would be quarantined" : "quarantined";
            case DROP -> dryRun ? "would be dropped" : "dropped";
            case LEAVE -> "left in place";
        };
        return what + ": " + verdict.detail();
    }
}
