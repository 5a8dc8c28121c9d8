package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.NodeState;
import java.time.Instant;

/**
 * Where a node of a dead-lettered attempt stands, as the registry knows it.
 *
 * @param currentAttemptId the node's current attempt; a candidate of another attempt is stale
 * @param result           the candidate attempt's finished result; null if none was recorded (it never finished)
 */
public record Standing(
        RunState runState,
        Instant runDeadline,
        String runOptions,
        NodeState state,
        String currentAttemptId,
        int attempt,
        int resurrections,
        AttemptResult result) {}
