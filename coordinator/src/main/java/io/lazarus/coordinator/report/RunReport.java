package io.lazarus.coordinator.report;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run did, node by node, and the variables its script was given ({@code vars}; never a secret).
 * {@code summary} counts nodes by outcome (GHOST for nodes with none); {@code states}
 * counts them by state. Both add up to {@code total}; {@code reconciliation} checks them against the manifest.
 * {@code learnedStall} lists the commands whose stall timeout the run learned from the registry's history.
 */
public record RunReport(
        String runId,
        String script,
        String scriptSha256,
        Map<String, String> vars,
        Instant startedAt,
        Instant finishedAt,
        int total,
        Map<String, Integer> summary,
        Map<NodeState, Integer> states,
        Reconciliation reconciliation,
        List<NodeReport> nodes,
        List<LearnedStall> learnedStall) {

    public RunReport {
        learnedStall = learnedStall == null ? List.of() : List.copyOf(learnedStall);
        vars = vars == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(vars));
    }

    /** This report, naming the stall timeouts its run learned. */
    public RunReport withLearnedStall(List<LearnedStall> learned) {
        return new RunReport(
                runId,
                script,
                scriptSha256,
                vars,
                startedAt,
                finishedAt,
                total,
                summary,
                states,
                reconciliation,
                nodes,
                learned);
    }

    public Duration elapsed() {
        return Duration.between(startedAt, finishedAt);
    }

    public boolean allSucceeded() {
        return states.getOrDefault(NodeState.SUCCEEDED, 0) == total;
    }

    /**
     * The report of these node lines: the summary, state counts and reconciliation are derived from them.
     *
     * @param manifest how many of the nodes the broker confirmed a message for
     */
    public static RunReport of(
            String runId,
            String script,
            String scriptSha256,
            Map<String, String> vars,
            Instant startedAt,
            Instant finishedAt,
            int manifest,
            List<NodeReport> nodes) {
        Map<String, Integer> summary = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            long count = nodes.stream().filter(r -> r.outcome() == outcome).count();
            if (count > 0) {
                summary.put(outcome.name(), (int) count);
            }
        }
        long ghosts = nodes.stream().filter(r -> r.state() == NodeState.GHOST).count();
        if (ghosts > 0) {
            summary.put(NodeState.GHOST.name(), (int) ghosts);
        }
        Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
        nodes.forEach(r -> states.merge(r.state(), 1, Integer::sum));
        return new RunReport(
                runId,
                script,
                scriptSha256,
                vars,
                startedAt,
                finishedAt,
                nodes.size(),
                summary,
                states,
                Reconciliation.of(nodes, manifest),
                nodes,
                List.of());
    }
}
