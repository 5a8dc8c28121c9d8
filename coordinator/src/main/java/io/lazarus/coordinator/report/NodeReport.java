package io.lazarus.coordinator.report;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;

import java.util.Map;

/**
 * One node's line in a run report: a stable JSON contract, extended only by adding fields.
 *
 * @param outcome  of the node's last finished attempt; null when none finished
 * @param attempts attempts that finished
 */
public record NodeReport(
        String node,
        String host,
        int port,
        String user,
        NodeState state,
        Outcome outcome,
        int attempts,
        Integer exitCode,
        long durationMs,
        String reason,
        String worker,
        String hostKeyFingerprint,
        String stdoutTail,
        String stderrTail,
        Map<String, String> facts) {
}
