package io.lazarus.coordinator.report;

import io.lazarus.common.contract.NodeState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run did, node by node. {@code summary} counts nodes by outcome (GHOST for nodes with none); {@code states}
 * counts them by state. Both add up to {@code total}.
 */
public record RunReport(
        String runId,
        String script,
        String scriptSha256,
        Instant startedAt,
        Instant finishedAt,
        int total,
        Map<String, Integer> summary,
        Map<NodeState, Integer> states,
        List<NodeReport> nodes) {

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt);
    }

    public boolean allSucceeded() {
        return states.getOrDefault(NodeState.SUCCEEDED, 0) == total;
    }
}
