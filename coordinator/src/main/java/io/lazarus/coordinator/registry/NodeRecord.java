package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import java.util.Map;

/**
 * One node of a run.
 *
 * @param dispatchedAttemptId the attempt released for it, recorded before its message was published: the run's manifest;
 *                            null until then
 * @param lastOutcome         of its last finished attempt
 * @param attempt             its current attempt: 1, and one more for each resurrection or release from quarantine
 * @param resurrections       resurrections since it was dispatched or last released from quarantine
 * @param deadLetterReason    the broker's reason when its current attempt was dead-lettered
 */
public record NodeRecord(
        String runId,
        String nodeId,
        String host,
        int port,
        String user,
        Map<String, String> facts,
        NodeState state,
        String dispatchedAttemptId,
        Outcome lastOutcome,
        int finishedAttempts,
        int attempt,
        int resurrections,
        String deadLetterReason) {

    /** Where and how to reach the node, as its install messages name it. */
    public NodeTarget target() {
        return new NodeTarget(nodeId, host, port, user, facts);
    }
}
