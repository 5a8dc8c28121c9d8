package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.report.LearnedStall;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.Reconciliation;
import io.lazarus.coordinator.report.RunReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** A run's report from the registry, as it stands: the same contract as the report {@code run --wait} writes. */
@Component
public class StoredReports {

    private final RegistryStore store;

    StoredReports(RegistryStore store) {
        this.store = store;
    }

    public Optional<RunReport> report(String runId) {
        return store.run(runId).map(run -> {
            Map<String, AttemptRecord> last = store.lastFinishedAttempts(runId);
            List<NodeRecord> records = store.nodes(runId, Optional.empty());
            Map<String, String> verdicts = store.lastVerdicts(runId);
            Map<String, List<ExecutionRecord>> executions = store.executions(runId);
            List<NodeReport> nodes = records.stream()
                    .map(node -> {
                        AttemptRecord attempt = last.get(node.nodeId());
                        String verdict = verdicts.get(node.nodeId());
                        String reason = switch (node.state()) {
                            case PENDING ->
                                node.dispatchedAttemptId() == null
                                        ? "not released yet"
                                        : "queued: no worker took it yet";
                            case RUNNING -> "running";
                            case CANCELLED ->
                                node.dispatchedAttemptId() == null ? "never released" : verdict == null ? "" : verdict;
                            case GHOST -> "no outcome arrived: reconciled as a ghost";
                            case DEAD_LETTERED -> "dead-lettered: " + node.deadLetterReason();
                            default -> verdict == null ? "" : verdict;
                        };
                        return NodeReport.of(
                                        node.target(),
                                        node.state(),
                                        node.finishedAttempts(),
                                        attempt == null ? null : attempt.worker(),
                                        attempt == null ? null : attempt.result(),
                                        reason)
                                .resurrection(node.resurrections(), node.deadLetterReason(), verdict)
                                .executions((int) executions.getOrDefault(node.nodeId(), List.of()).stream()
                                        .filter(ExecutionRecord::started)
                                        .count());
                    })
                    .toList();
            Instant until = run.finishedAt() != null ? run.finishedAt() : Instant.now();
            int manifest = (int) records.stream()
                    .filter(n -> n.dispatchedAttemptId() != null)
                    .count();
            return RunReport.of(
                            run.runId(),
                            run.scriptName(),
                            run.scriptSha256(),
                            run.vars(),
                            run.createdAt(),
                            until,
                            manifest,
                            nodes)
                    .withLearnedStall(learnedStall(run.options()));
        });
    }

    /**
     * The run's nodes counted by state and its books, as {@link #report} has them, from two narrow queries: a run's
     * view is asked for at every poll of a client following it, and the report reads and parses every node's result.
     */
    public Optional<Books> books(String runId) {
        if (store.run(runId).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Outcome> outcomes = store.lastFinishedOutcomes(runId);
        List<NodeTally> nodes = store.nodeTallies(runId);
        Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
        nodes.forEach(node -> states.merge(node.state(), 1, Integer::sum));
        List<Reconciliation.Entry> entries = nodes.stream()
                .map(node -> new Reconciliation.Entry(node.state(), outcomes.get(node.nodeId())))
                .toList();
        int manifest = (int) nodes.stream().filter(NodeTally::released).count();
        return Optional.of(new Books(states, Reconciliation.ofEntries(entries, manifest)));
    }

    /** A run's nodes counted by state, and its books against the manifest. */
    public record Books(Map<NodeState, Integer> states, Reconciliation reconciliation) {}

    /** The stall timeouts the run learned, from its recorded options; none in a run recorded before learning. */
    static List<LearnedStall> learnedStall(String runOptions) {
        JsonNode learned =
                Contracts.mapper().readTree(runOptions).path("history").path("learnedStall");
        List<LearnedStall> timeouts = new ArrayList<>();
        if (learned.isArray()) {
            learned.forEach(each -> timeouts.add(Contracts.mapper().treeToValue(each, LearnedStall.class)));
        }
        return timeouts;
    }
}
