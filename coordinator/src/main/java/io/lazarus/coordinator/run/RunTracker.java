package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;

import java.time.Duration;
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

    RunTracker(String runId, List<NodeTarget> targets) {
        this.runId = runId;
        targets.forEach(n -> nodes.put(n.id(), new NodeProgress(n)));
    }

    /** A run's tracker as the registry left it, for a run that is resumed. */
    static RunTracker restore(String runId, List<NodeRecord> records, Map<String, AttemptRecord> lastFinished,
            Map<String, Set<String>> finishedAttemptIds, Map<String, AttemptRecord> lastStarted) {
        RunTracker tracker = new RunTracker(runId, records.stream().map(NodeRecord::target).toList());
        for (NodeRecord record : records) {
            NodeProgress node = tracker.nodes.get(record.nodeId());
            node.state = record.state();
            node.finishedAttempts.addAll(finishedAttemptIds.getOrDefault(record.nodeId(), Set.of()));
            AttemptRecord finished = lastFinished.get(record.nodeId());
            if (finished != null) {
                node.last = finished.result();
                node.worker = finished.worker();
            }
            AttemptRecord started = lastStarted.get(record.nodeId());
            if (record.state() == NodeState.RUNNING && started != null) {
                node.startedAt = started.startedAt();
                node.worker = started.worker();
            }
            if (record.state() == NodeState.CANCELLED && finished == null) {
                node.cancelled = "never released";
            }
        }
        return tracker;
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
                node.startedAt = event.at();
            }
        } else if (node.finishedAttempts.add(event.attemptId())) {
            node.last = event.result();
            node.worker = event.worker();
            node.state = event.result().outcome().succeeded() ? NodeState.SUCCEEDED : NodeState.FAILED;
        }
        return true;
    }

    /**
     * Ends, as GHOST, the nodes nothing more will come for: a released node no worker started by the run's deadline
     * plus the grace (its message was lost, or no worker is left), and a node whose worker went silent past the node
     * time plus the grace. Returns their ids.
     */
    synchronized List<String> reconcile(Instant now, Set<String> released, Instant runDeadline, Duration maxNodeTime,
            Duration grace) {
        List<String> ghosts = new java.util.ArrayList<>();
        for (NodeProgress node : nodes.values()) {
            if (node.state == NodeState.PENDING && released.contains(node.node.id())
                    && now.isAfter(runDeadline.plus(grace))) {
                node.ghost("dispatched, and no worker started it by the run's deadline " + runDeadline + " (+" + grace + ")");
            } else if (node.state == NodeState.RUNNING && now.isAfter(node.startedAt.plus(maxNodeTime).plus(grace))) {
                node.ghost("started on " + node.worker + " at " + node.startedAt + ", and its worker went silent past the"
                        + " node time of " + maxNodeTime + " (+" + grace + ")");
            } else {
                continue;
            }
            ghosts.add(node.node.id());
        }
        return ghosts;
    }

    /** A node that will never run: the run stopped releasing before it. */
    synchronized void cancel(String nodeId, String reason) {
        NodeProgress node = nodes.get(nodeId);
        if (node.state == NodeState.PENDING) {
            node.state = NodeState.CANCELLED;
            node.cancelled = reason;
        }
    }

    synchronized Progress progress() {
        Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        for (NodeProgress node : nodes.values()) {
            states.merge(node.state, 1, Integer::sum);
            if (node.state.done() && node.last != null) {
                outcomes.merge(node.last.outcome(), 1, Integer::sum);
            }
        }
        return new Progress(nodes.size(), states, outcomes, unattributed);
    }

    synchronized boolean complete() {
        return nodes.values().stream().allMatch(n -> n.state.done());
    }

    /** The report as things stand; nodes still PENDING or RUNNING are reported as GHOST: nothing more will come. */
    synchronized RunReport report(String script, String sha256, Instant startedAt, Instant finishedAt, int manifest) {
        return RunReport.of(runId, script, sha256, startedAt, finishedAt, manifest,
                nodes.values().stream().map(NodeProgress::report).toList());
    }

    private static final class NodeProgress {
        private final NodeTarget node;
        private final Set<String> finishedAttempts = new HashSet<>();
        private NodeState state = NodeState.PENDING;
        private AttemptResult last;
        private String worker;
        private String cancelled;
        private Instant startedAt;
        private String ghost;

        NodeProgress(NodeTarget node) {
            this.node = node;
        }

        void ghost(String why) {
            state = NodeState.GHOST;
            ghost = why;
        }

        NodeReport report() {
            String reason = cancelled != null ? cancelled
                    : ghost != null ? ghost
                    : state == NodeState.RUNNING ? "started on " + worker + " but no outcome arrived before the wait ended"
                    : "no worker took it before the wait ended";
            return NodeReport.of(node, state.done() ? state : NodeState.GHOST, finishedAttempts.size(), worker,
                    last, reason);
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
