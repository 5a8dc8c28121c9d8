package io.lazarus.coordinator.status;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.Reconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A run as it stands, as {@code GET /api/runs/{id}} and {@code lazarus status -o json} show it: its state, its nodes
 * counted by state, and its books against the manifest ({@code null} in a progress event, which reads the counts
 * only); {@code warning} says when nodes wait and no worker listens on the install queue; {@code releaseStopped} why
 * release stopped before every node was released (its canary failed, its failure budget was spent, it was cancelled);
 * {@code followedBy} names the replica holding the run's lease (null when nobody follows it now, and in a progress
 * event).
 */
public record RunView(
        String runId,
        String state,
        Instant createdAt,
        Instant deadline,
        Instant finishedAt,
        String script,
        String scriptSha256,
        int total,
        Map<NodeState, Integer> states,
        Reconciliation reconciliation,
        String warning,
        String releaseStopped,
        String followedBy) {

    /**
     * The longest {@code GET /api/runs/{id}?wait=} waits for the run's end before it answers: the request holds one of
     * the service's threads meanwhile.
     */
    public static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
}
