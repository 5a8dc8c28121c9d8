package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.Quarantine;

/**
 * One quarantined node on the dead-letter page, with what releasing it would do (or, after a release, did).
 *
 * @param stayed why a release leaves it where it is; null when it comes (or would come) back
 */
record QuarantinedRow(
        String runId,
        String nodeId,
        int attempt,
        int resurrections,
        String deathReason,
        String why,
        String since,
        String nextAttemptId,
        String stayed) {

    static QuarantinedRow of(Quarantine.Released released) {
        DeadLetteredMessage m = released.parked().message();
        return new QuarantinedRow(
                m.runId(),
                m.nodeId(),
                m.attempt(),
                m.deadLetter().resurrections(),
                m.deadLetter().reason(),
                released.parked().reason(),
                released.parked().quarantinedAt(),
                released.nextAttemptId(),
                released.stayed());
    }

    /** The dry run's answer, for the page. */
    public String preview() {
        return stayed == null
                ? "would come back as a new attempt, its resurrections counted from zero"
                : "stays: " + stayed;
    }

    /** What a release did, for the line the page shows after it. */
    public String released() {
        return "%s %s attempt %d: %s"
                .formatted(
                        runId, nodeId, attempt, stayed == null ? "released as " + nextAttemptId : "stayed: " + stayed);
    }
}
