package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            List<NodeReport> nodes = store.nodes(runId, Optional.empty()).stream().map(node -> {
                AttemptRecord attempt = last.get(node.nodeId());
                NodeTarget target = new NodeTarget(node.nodeId(), node.host(), node.port(), node.user(), null, node.facts());
                String reason = node.state() == NodeState.PENDING
                        ? (node.dispatchedAttemptId() == null ? "not dispatched" : "queued: no worker took it yet")
                        : node.state() == NodeState.RUNNING ? "running" : "";
                return NodeReport.of(target, node.state(), node.finishedAttempts(),
                        attempt == null ? null : attempt.worker(), attempt == null ? null : attempt.result(), reason);
            }).toList();
            Instant until = run.finishedAt() != null ? run.finishedAt() : Instant.now();
            return RunReport.of(run.runId(), run.scriptName(), run.scriptSha256(), run.createdAt(), until, nodes);
        });
    }
}
