package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The state of every node of one run, folded from its attempt events. Duplicate events change nothing. */
final class RunTracker {

    private final String runId;
    private final Map<String, NodeProgress> nodes = new LinkedHashMap<>();
    private int unattributed;

    RunTracker(String runId, List<InventoryNode> inventory) {
        this.runId = runId;
        inventory.forEach(n -> nodes.put(n.id(), new NodeProgress(n)));
    }

    /** Returns false for an event about no node of this run (for example a message too malformed to name one). */
    synchronized boolean apply(AttemptEvent event) {
        NodeProgress node = nodes.get(event.nodeId());
        if (node == null || !runId.equals(event.runId())) {
            unattributed++;
            return false;
        }
        if (event.type() == EventType.STARTED) {
            if (node.state == NodeState.PENDING) {
                node.state = NodeState.RUNNING;
                node.worker = event.worker();
            }
        } else if (node.finishedAttempts.add(event.attemptId())) {
            node.last = event;
            node.worker = event.worker();
            node.state = event.result().outcome().succeeded() ? NodeState.SUCCEEDED : NodeState.FAILED;
        }
        return true;
    }

    synchronized Progress progress() {
        Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (NodeProgress node : nodes.values()) {
            states.merge(node.state, 1, Integer::sum);
            if (node.state.done() && node.last != null) {
                outcomes.merge(node.last.result().outcome(), 1, Integer::sum);
            }
        }
        return new Progress(nodes.size(), states, outcomes, unattributed);
    }

    synchronized boolean complete() {
        return nodes.values().stream().allMatch(n -> n.state.done());
    }

    /** The report as things stand; nodes still PENDING or RUNNING are reported as GHOST: nothing more will come. */
    synchronized RunReport report(String script, String sha256, Instant startedAt, Instant finishedAt) {
        return RunReport.of(runId, script, sha256, startedAt, finishedAt,
                nodes.values().stream().map(NodeProgress::report).toList());
    }

    private static final class NodeProgress {
        private final InventoryNode node;
        private final Set<String> finishedAttempts = new HashSet<>();
        private NodeState state = NodeState.PENDING;
        private AttemptEvent last;
        private String worker;

        NodeProgress(InventoryNode node) {
            this.node = node;
        }

        NodeReport report() {
            String reason = state == NodeState.RUNNING ? "started on " + worker + " but no outcome arrived before the wait ended"
                    : "no worker took it before the wait ended";
            return NodeReport.of(node.target(), state.done() ? state : NodeState.GHOST, finishedAttempts.size(), worker,
                    last == null ? null : last.result(), reason);
        }
    }

    record Progress(int total, Map<NodeState, Integer> states, Map<Outcome, Integer> outcomes, int unattributed) {
        int done() {
            return states.entrySet().stream().filter(e -> e.getKey().done()).mapToInt(Map.Entry::getValue).sum();
        }

        int count(NodeState state) {
            return states.getOrDefault(state, 0);
        }
    }
}
