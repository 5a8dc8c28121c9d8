package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.retry.Backoff;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** The state of every node of one run, folded from its attempt events. Duplicate events change nothing. */
final class RunTracker {

    private final String runId;
    private final Clock clock;
    /** The states a dead letter moves a node out of; a succeeded, quarantined or cancelled node stays. */
    private static final Set<NodeState> DEAD_LETTERS_REACH = java.util.EnumSet.of(
            NodeState.PENDING, NodeState.RUNNING, NodeState.FAILED, NodeState.GHOST, NodeState.DEAD_LETTERED);

    private static final Duration DEAD_LETTER_RECORD_GRACE = Duration.ofSeconds(10);

    private final Map<String, NodeProgress> nodes = new LinkedHashMap<>();
    /** Kept as nodes move, so that the run's loop reads its progress without walking every node at each turn. */
    private final Tally tally = new Tally();

    private int unattributed;

    RunTracker(String runId, List<NodeTarget> targets, Clock clock) {
        this.runId = runId;
        this.clock = clock;
        targets.forEach(n -> nodes.put(n.id(), new NodeProgress(n, tally)));
    }

    /** A run's tracker as the registry left it, for a run that is resumed. */
    static RunTracker restore(
            String runId,
            List<NodeRecord> records,
            Map<String, AttemptRecord> lastFinished,
            Map<String, Set<String>> finishedAttemptIds,
            Map<String, AttemptRecord> lastStarted,
            Map<String, Set<String>> executionIds,
            Clock clock) {
        RunTracker tracker =
                new RunTracker(runId, records.stream().map(NodeRecord::target).toList(), clock);
        for (NodeRecord record : records) {
            NodeProgress node = tracker.nodes.get(record.nodeId());
            node.moveTo(record.state());
            node.finishedAttempts.addAll(finishedAttemptIds.getOrDefault(record.nodeId(), Set.of()));
            node.executions.addAll(executionIds.getOrDefault(record.nodeId(), Set.of()));
            AttemptRecord finished = lastFinished.get(record.nodeId());
            if (finished != null) {
                node.finished(finished.attemptId(), finished.result().outcome());
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
            node.attempt = record.attempt();
            node.resurrections = record.resurrections();
            node.deadLetterReason = record.deadLetterReason();
            if (record.state() == NodeState.DEAD_LETTERED) {
                node.deadLetteredAt = clock.instant();
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
        if (event.executionId() != null && event.type() == EventType.STARTED) {
            node.executions.add(event.executionId()); // a refusal has no start: nothing ran
        }
        // an event of an attempt the node has moved on from is counted, but does not move it back
        boolean current = event.attempt() >= node.attempt;
        switch (event.type()) {
            case STARTED -> {
                if (node.state == NodeState.PENDING && current) {
                    node.moveTo(NodeState.RUNNING);
                    node.worker = event.worker();
                    node.startedAt = event.at();
                }
            }
            case FINISHED -> {
                if (node.finishedAttempts.add(event.attemptId()) && current) {
                    node.finished(event.attemptId(), event.result().outcome());
                    node.worker = event.worker();
                    node.moveTo(NodeState.after(event.result()));
                    node.deadLetteredAt = event.result().resurrectable() ? clock.instant() : null;
                }
            }
            case OUTPUT -> {
                // the registry keeps it; a node's progress is its start and its outcome
            }
            case DEAD_LETTERED -> {
                if (current && DEAD_LETTERS_REACH.contains(node.state)) {
                    if (node.state != NodeState.DEAD_LETTERED) {
                        node.deadLetteredAt = clock.instant();
                    }
                    node.moveTo(NodeState.DEAD_LETTERED);
                    node.deadLetterReason = event.deadLetter().reason();
                }
            }
        }
        return true;
    }

    /** A node whose dead-lettered attempt comes back as a new one. */
    synchronized void resurrected(String nodeId, int attempt, int resurrections) {
        NodeProgress node = nodes.get(nodeId);
        node.moveTo(NodeState.PENDING);
        node.attempt = attempt;
        node.resurrections = resurrections;
        node.deadLetterReason = null;
        node.deadLetteredAt = null;
        node.startedAt = null;
        node.verdict = null;
    }

    /** The gatekeeper's verdict on a candidate that does not come back. */
    synchronized void judged(String nodeId, int attempt, NodeState state, String why) {
        NodeProgress node = nodes.get(nodeId);
        if (node == null || node.attempt != attempt) {
            return;
        }
        node.verdict = why;
        if (state != null && node.state != NodeState.SUCCEEDED) {
            node.moveTo(state);
        }
    }

    /**
     * Whether a dead-lettered node has waited long enough to come back: {@code delay}, doubled for each resurrection
     * it already had.
     */
    synchronized boolean due(String nodeId, int attempt, Instant now, Duration delay) {
        NodeProgress node = nodes.get(nodeId);
        return node != null
                && node.state == NodeState.DEAD_LETTERED
                && node.attempt == attempt
                && node.deadLetteredAt != null
                && !now.isBefore(
                        node.deadLetteredAt.plus(Backoff.doubling(delay).pause(node.resurrections + 1)));
    }

    synchronized boolean anyDeadLettered() {
        return tally.count(NodeState.DEAD_LETTERED) > 0;
    }

    /**
     * Ends, as GHOST, the nodes nothing more will come for: a released node no worker started by the run's deadline
     * plus the grace (its message was lost, or no worker is left), and a node whose worker went silent past the node
     * time plus the grace. Returns their ids.
     */
    synchronized List<String> reconcile(
            Instant now, Set<String> released, Instant runDeadline, Duration maxNodeTime, Duration grace) {
        List<String> ghosts = new java.util.ArrayList<>();
        for (NodeProgress node : nodes.values()) {
            if (node.state == NodeState.PENDING
                    && released.contains(node.node.id())
                    && now.isAfter(runDeadline.plus(grace))) {
                node.ghost("dispatched, and no worker started it by the run's deadline " + runDeadline + " (+" + grace
                        + ")");
            } else if (node.state == NodeState.RUNNING
                    && now.isAfter(node.startedAt.plus(maxNodeTime).plus(grace))) {
                node.ghost(
                        "started on " + node.worker + " at " + node.startedAt + ", and its worker went silent past the"
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
            node.moveTo(NodeState.CANCELLED);
            node.cancelled = reason;
        }
    }

    /** The id of each node's last finished attempt, for the nodes that have one. */
    synchronized List<String> lastAttemptIds() {
        return nodes.values().stream()
                .map(node -> node.lastAttemptId)
                .filter(Objects::nonNull)
                .toList();
    }

    synchronized Progress progress() {
        return new Progress(nodes.size(), tally.states(), tally.outcomes(), unattributed);
    }

    /**
     * @param candidatesCount a DEAD_LETTERED node is not done yet: its run resurrects its candidates itself. Otherwise
     *                        it is done once the broker's reason is recorded, which follows the worker's outcome within
     *                        moments (or the grace passed)
     */
    synchronized boolean complete(boolean candidatesCount) {
        if (tally.count(NodeState.DEAD_LETTERED) == 0) {
            return tally.count(NodeState.PENDING) + tally.count(NodeState.RUNNING) == 0;
        }
        Instant now = clock.instant();
        return nodes.values().stream()
                .allMatch(n -> n.state != NodeState.DEAD_LETTERED
                        ? n.state.done()
                        : !candidatesCount
                                && (n.deadLetterReason != null
                                        || now.isAfter(n.deadLetteredAt.plus(DEAD_LETTER_RECORD_GRACE))));
    }

    /**
     * The report as things stand; nodes still PENDING or RUNNING are reported as GHOST: nothing more will come.
     *
     * @param results what each node's last finished attempt reported, read from the registry by attempt id: the
     *                tracker keeps only its id and outcome, so that its memory does not grow as nodes finish
     */
    synchronized RunReport report(
            InstallScript script,
            Map<String, String> vars,
            Instant startedAt,
            Instant finishedAt,
            int manifest,
            Function<Collection<String>, Map<String, AttemptResult>> results) {
        Map<String, AttemptResult> last = results.apply(lastAttemptIds());
        return RunReport.of(
                runId,
                script.name(),
                script.sha256(),
                vars,
                startedAt,
                finishedAt,
                manifest,
                nodes.values().stream()
                        .map(node -> node.report(node.lastAttemptId == null ? null : last.get(node.lastAttemptId)))
                        .toList());
    }

    private static final class NodeProgress {
        private final NodeTarget node;
        private final Tally tally;
        private final Set<String> finishedAttempts = new HashSet<>();
        private final Set<String> executions = new HashSet<>();
        private NodeState state = NodeState.PENDING;
        private String lastAttemptId;
        private Outcome lastOutcome;
        private String worker;
        private String cancelled;
        private Instant startedAt;
        private String ghost;
        private String verdict;
        private int attempt = 1;
        private int resurrections;
        private String deadLetterReason;
        private Instant deadLetteredAt;

        NodeProgress(NodeTarget node, Tally tally) {
            this.node = node;
            this.tally = tally;
            tally.enter(this);
        }

        void moveTo(NodeState next) {
            tally.leave(this);
            state = next;
            tally.enter(this);
        }

        void finished(String attemptId, Outcome outcome) {
            tally.leave(this);
            lastAttemptId = attemptId;
            lastOutcome = outcome;
            tally.enter(this);
        }

        void ghost(String why) {
            moveTo(NodeState.GHOST);
            ghost = why;
        }

        NodeReport report(AttemptResult last) {
            String reason = cancelled != null
                    ? cancelled
                    : verdict != null
                            ? verdict
                            : ghost != null
                                    ? ghost
                                    : state == NodeState.DEAD_LETTERED
                                            ? "dead-lettered: " + deadLetterReason
                                            : state == NodeState.RUNNING
                                                    ? "started on " + worker
                                                            + " but no outcome arrived before the wait ended"
                                                    : "no worker took it before the wait ended";
            return NodeReport.of(
                            node, state.done() ? state : NodeState.GHOST, finishedAttempts.size(), worker, last, reason)
                    .resurrection(resurrections, deadLetterReason, verdict)
                    .executions(executions.size());
        }
    }

    /** How many nodes are in each state, and the outcomes of those done. */
    private static final class Tally {
        private final int[] states = new int[NodeState.values().length];
        private final int[] outcomes = new int[Outcome.values().length];

        void enter(NodeProgress node) {
            add(node, 1);
        }

        void leave(NodeProgress node) {
            add(node, -1);
        }

        private void add(NodeProgress node, int delta) {
            states[node.state.ordinal()] += delta;
            if (node.state.done() && node.lastOutcome != null) {
                outcomes[node.lastOutcome.ordinal()] += delta;
            }
        }

        int count(NodeState state) {
            return states[state.ordinal()];
        }

        Map<NodeState, Integer> states() {
            return nonZero(NodeState.class, states);
        }

        Map<Outcome, Integer> outcomes() {
            return nonZero(Outcome.class, outcomes);
        }

        private static <E extends Enum<E>> Map<E, Integer> nonZero(Class<E> type, int[] counts) {
            Map<E, Integer> map = new EnumMap<>(type);
            for (E constant : type.getEnumConstants()) {
                if (counts[constant.ordinal()] > 0) {
                    map.put(constant, counts[constant.ordinal()]);
                }
            }
            return map;
        }
    }

    record Progress(int total, Map<NodeState, Integer> states, Map<Outcome, Integer> outcomes, int unattributed) {
        int done() {
            return states.entrySet().stream()
                    .filter(e -> e.getKey().done())
                    .mapToInt(Map.Entry::getValue)
                    .sum();
        }

        int count(NodeState state) {
            return states.getOrDefault(state, 0);
        }
    }
}
