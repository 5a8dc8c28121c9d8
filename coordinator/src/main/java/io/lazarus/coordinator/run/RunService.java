package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.MissingTopologyException;
import io.lazarus.common.topology.TopologyCheck;
import io.lazarus.common.topology.TopologyConflict;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import io.lazarus.common.Errors;
import io.lazarus.coordinator.dispatch.InstallDispatcher;
import io.lazarus.coordinator.resurrection.DeadLetterRecorder;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.ResurrectionDrain;
import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.trust.EventGate;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import io.lazarus.common.topology.Topology;
import org.springframework.stereotype.Service;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Dispatches a run and, when asked, follows it to its end. */
@Service
public class RunService {

    /** How often a run with queued nodes asks whether any worker listens. */
    private static final Duration CONSUMER_CHECK = Duration.ofSeconds(3);
    /** How often a followed run looks for nodes nothing more will come for: each look visits every node. */
    private static final Duration RECONCILE = Duration.ofSeconds(1);

    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final InstallDispatcher dispatcher;
    private final CoordinatorMetrics metrics;
    private final RegistryStore registry;
    private final DeadLetterRecorder deadLetters;
    private final ResurrectionDrain resurrection;
    private final EventGate gate;
    private final TopologyCheck topology;
    private final InstallConsumers consumers;
    private final java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean following;

    RunService(ConnectionFactory connectionFactory, AmqpAdmin admin, InstallDispatcher dispatcher, CoordinatorMetrics metrics,
            RegistryStore registry, DeadLetterRecorder deadLetters, ResurrectionDrain resurrection, EventGate gate,
            TopologyCheck topology, InstallConsumers consumers) {
        this.gate = gate;
        this.topology = topology;
        this.consumers = consumers;
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.resurrection = resurrection;
    }

    /**
     * Connects and declares the topology (or, with lazarus.topology.declare=false, checks that it exists); a broker
     * that cannot be reached ends here, before anything is sent.
     */
    public void connect() {
        try (Connection ignored = connectionFactory.createConnection()) {
            topology.ensure();
        } catch (MissingTopologyException e) {
            throw new BrokerUnavailableException(e.getMessage(), e);
        } catch (AmqpException e) {
            java.util.Optional<String> conflict = TopologyConflict.replyText(e);
            if (conflict.isPresent()) {
                throw new BrokerUnavailableException("RabbitMQ refused the Lazarus topology: an existing queue or"
                        + " exchange was declared with other arguments (" + conflict.get() + "). Make lazarus.topology.*"
                        + " match what the broker has, or delete it.", e);
            }
            throw new BrokerUnavailableException("cannot reach RabbitMQ at " + connectionFactory.getHost() + ":"
                    + connectionFactory.getPort() + ": " + Errors.rootMessage(e), e);
        }
    }

    /**
     * Publishes one message per node; with {@code waitForOutcome}, follows the run until every node has an outcome
     * or the wait bound passes. Returns the report, or null when not waiting.
     */
    public RunReport run(String runId, List<InventoryNode> nodes, String inventoryText, InstallScript script,
            RunOptions options, PrintStream progress) throws InterruptedException {
        dispatcher.prepare();
        Instant started = now();
        Instant deadline = started.plus(options.deadline());
        List<InstallMessage> messages = nodes.stream()
                .map(n -> InstallMessage.firstAttempt(runId, n.target(), script, options.watchdog(), deadline,
                        options.secrets()))
                .toList();
        registry.createRun(new RunRecord(runId, started, deadline, RunState.RUNNING, script.name(), script.sha256(),
                script.commands(), inventoryText, Contracts.mapper().writeValueAsString(options), nodes.size(), null),
                nodes.stream().map(InventoryNode::target).toList());
        if (!options.waitForOutcome()) {
            // the run's queue keeps its events for whoever looks later (status, report, watch): declared before the
            // first message is published, so none is missed
            Declarables events = Topology.runEvents(runId);
            events.getDeclarablesByType(Queue.class).forEach(admin::declareQueue);
            events.getDeclarablesByType(Binding.class).forEach(admin::declareBinding);
            // flow control needs someone to release more as outcomes arrive: the CLI refuses it without --wait
            registry.recordReleasing(runId, messages, Instant.now());
            dispatch(runId, messages, options, progress);
            String nobody = consumers.warning();
            if (nobody != null) {
                progress.println("warning: " + nobody);
            }
            return null;
        }
        RunTracker tracker = new RunTracker(runId, nodes.stream().map(InventoryNode::target).toList());
        Release release = new Release(runId, messages, 0, Set.of(), new ReleasePlan(messages.size(), options.flow()));
        return followToEnd(runId, script, started, deadline, options, tracker, release, progress);
    }

    /** Records a new run with all its nodes held back, for {@link #resume} to release and follow. */
    public void register(String runId, List<InventoryNode> nodes, String inventoryText, InstallScript script,
            RunOptions options) {
        Instant started = now();
        registry.createRun(new RunRecord(runId, started, started.plus(options.deadline()), RunState.RUNNING, script.name(),
                script.sha256(), script.commands(), inventoryText, Contracts.mapper().writeValueAsString(options),
                nodes.size(), null), nodes.stream().map(InventoryNode::target).toList());
    }

    /**
     * Takes up a run whose coordinator went away: rebuilds its state from the registry, attaches to the run's queue
     * (events its predecessor did not record are still there), releases the nodes it had not released, and follows
     * the run to its end. Returns null for a run that is no longer running.
     */
    public RunReport resume(String runId, PrintStream progress) throws InterruptedException {
        RunRecord run = registry.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        if (run.finishedAt() != null) {
            return null;
        }
        registry.takenUp(runId);
        RunOptions options = Contracts.mapper().readValue(run.options(), RunOptions.class);
        InstallScript script = new InstallScript(run.scriptName(), run.commands(), run.scriptSha256());
        List<NodeRecord> nodes = registry.nodes(runId, Optional.empty());
        RunTracker tracker = RunTracker.restore(runId, nodes, registry.lastFinishedAttempts(runId),
                registry.finishedAttemptIds(runId), registry.lastStartedAttempts(runId), registry.executions(runId)
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream()
                                .filter(io.lazarus.coordinator.registry.ExecutionRecord::started)
                                .map(io.lazarus.coordinator.registry.ExecutionRecord::executionId)
                                .collect(Collectors.toSet()))));
        List<InstallMessage> messages = nodes.stream().map(n -> n.dispatchedAttemptId() != null
                ? new InstallMessage(Contracts.SCHEMA_VERSION, n.dispatchedAttemptId(), runId, 1, n.target(), script,
                        options.watchdog(), run.deadline(), options.secrets())
                : InstallMessage.firstAttempt(runId, n.target(), script, options.watchdog(), run.deadline(),
                        options.secrets())).toList();
        // nodes are released in order: those dispatched, or held back for good, come first
        int released = (int) nodes.stream().filter(n -> n.dispatchedAttemptId() != null
                || n.state() == NodeState.CANCELLED).count();
        Set<String> dispatched = nodes.stream().filter(n -> n.dispatchedAttemptId() != null).map(NodeRecord::nodeId)
                .collect(java.util.stream.Collectors.toSet());
        progress.printf("resuming run %s: %d of %d node(s) released, %d with an outcome%n", runId, dispatched.size(),
                nodes.size(), nodes.stream().filter(n -> n.state().done()).count());
        Release release = new Release(runId, messages, released, dispatched, new ReleasePlan(messages.size(), options.flow()));
        return followToEnd(runId, script, run.createdAt(), run.deadline(), options, tracker, release, progress);
    }

    private RunReport followToEnd(String runId, InstallScript script, Instant started, Instant deadline,
            RunOptions options, RunTracker tracker, Release release, PrintStream progress) throws InterruptedException {
        try (RunWatcher watcher = RunWatcher.bind(connectionFactory, admin, runId, gate,
                batch -> registry.recordAdmitted(batch).forEach(metrics::ingested))) {
            watcher.start();
            following = true;
            deadLetters.start();
            release.more(tracker, options, progress);
            Instant waitUntil = deadline.plus(options.maxNodeTime()).plus(options.ghostGrace());
            follow(tracker, watcher, release, deadline, waitUntil, started, progress, options);
            RunReport report = tracker.report(script.name(), script.sha256(), started, now(), release.manifest());
            registry.finishRun(runId, RunState.FINISHED, report.finishedAt());
            // the run's queue stays until it expires: an execution after the end (a replay, a late redelivery) waits
            // there for status, report or watch to record it
            return report;
        } finally {
            following = false;
        }
    }

    /** Whether this process is following a run now: Ctrl-C then detaches from it rather than ending the process. */
    public boolean following() {
        return following;
    }

    /** The run's messages in inventory order, released as its {@link ReleasePlan} allows. */
    private final class Release {
        private final String runId;
        private final List<InstallMessage> messages;
        private final ReleasePlan plan;
        private final Set<String> dispatched;
        private int released;

        Release(String runId, List<InstallMessage> messages, int released, Set<String> dispatched, ReleasePlan plan) {
            this.runId = runId;
            this.messages = messages;
            this.released = released;
            this.dispatched = new HashSet<>(dispatched);
            this.plan = plan;
        }

        /** Releases what the plan allows now; once it stopped, the nodes never released are CANCELLED. */
        void more(RunTracker tracker, RunOptions options, PrintStream progress) {
            if (released < messages.size() && registry.cancelRequested(runId)) {
                plan.stop("the run was cancelled");
            }
            RunTracker.Progress p = tracker.progress();
            int count = plan.releasable(released, p.count(NodeState.SUCCEEDED),
                    p.count(NodeState.FAILED) + p.count(NodeState.CANCELLED));
            if (count > 0) {
                List<InstallMessage> batch = messages.subList(released, released + count);
                registry.recordReleasing(runId, batch, Instant.now());
                dispatch(runId, batch, options, progress);
                batch.forEach(m -> dispatched.add(m.node().id()));
                released += count;
            }
            if (plan.stopped() != null && released < messages.size()) {
                List<InstallMessage> held = messages.subList(released, messages.size());
                progress.printf("release stopped (%s): %d node(s) never released are CANCELLED%n", plan.stopped(),
                        held.size());
                String reason = "never released: " + plan.stopped();
                held.forEach(m -> tracker.cancel(m.node().id(), reason));
                registry.cancelUnreleased(runId, Instant.now());
                released = messages.size();
            }
        }

        int heldBack() {
            return messages.size() - released;
        }

        /** Nodes whose install message the broker confirmed. */
        Set<String> dispatched() {
            return dispatched;
        }

        int manifest() {
            return dispatched.size();
        }
    }

    /** Publishes the run's messages; each one the broker confirms enters the run's manifest. */
    private void dispatch(String runId, List<InstallMessage> messages, RunOptions options, PrintStream progress) {
        ProgressLine publishing = new ProgressLine(progress, options.progressInterval());
        AtomicInteger confirmed = new AtomicInteger();
        dispatcher.dispatch(messages, 0, window -> {
            registry.recordDispatched(runId, window, Instant.now());
            int done = confirmed.addAndGet(window.size());
            publishing.maybe(() -> "published %d/%d (confirmed by the broker)".formatted(done, messages.size()),
                    done == messages.size());
        });
        metrics.published(messages.size());
    }

    private void follow(RunTracker tracker, RunWatcher watcher, Release release, Instant deadline, Instant waitUntil,
            Instant started, PrintStream out, RunOptions options) throws InterruptedException {
        ProgressLine line = new ProgressLine(out, options.progressInterval());
        boolean candidatesCount = options.resurrectsItself();
        Instant lastDrain = Instant.MIN;
        Instant lastConsumerCheck = Instant.MIN;
        Instant lastReconcile = Instant.MIN;
        String nobody = null;
        while (!tracker.complete(candidatesCount) && Instant.now().isBefore(waitUntil)) {
            if (detached.get()) {
                throw new RunDetached(release.runId);
            }
            if (tracker.progress().count(NodeState.PENDING) > 0
                    && Instant.now().isAfter(lastConsumerCheck.plus(CONSUMER_CHECK))) {
                String now = consumers.warning();
                if (now != null && nobody == null) {
                    out.println("warning: " + now);
                }
                nobody = now;
                lastConsumerCheck = Instant.now();
            }
            String noWorker = nobody;
            for (AttemptEvent event : watcher.poll(Duration.ofMillis(200))) {
                if (tracker.apply(event)) {
                    metrics.received(event);
                }
            }
            release.more(tracker, options, out);
            if (candidatesCount && tracker.anyDeadLettered() && Instant.now().isAfter(lastDrain.plusSeconds(1))) {
                resurrectDue(release.runId, tracker, options, out);
                lastDrain = Instant.now();
            }
            List<String> ghosts = List.of();
            if (Instant.now().isAfter(lastReconcile.plus(RECONCILE))) {
                ghosts = tracker.reconcile(Instant.now(), release.dispatched(), deadline, options.maxNodeTime(),
                        options.ghostGrace());
                lastReconcile = Instant.now();
            }
            if (!ghosts.isEmpty()) {
                registry.markGhosts(release.runId, ghosts, Instant.now());
                metrics.ghosts(ghosts.size());
                out.printf("%d node(s) reconciled as GHOST: dispatched, and no outcome will come%n", ghosts.size());
            }
            RunTracker.Progress p = tracker.progress();
            int held = release.heldBack();
            line.maybe(() -> describe(p, started) + (held > 0 ? ", held back " + held : "")
                            + (noWorker != null && p.count(NodeState.PENDING) > 0 ? "; no worker is consuming" : ""),
                    tracker.complete(candidatesCount));
        }
        if (!tracker.complete(candidatesCount)) {
            out.printf("wait ended at %s with %d node(s) still without an outcome: reported as GHOST%n", waitUntil,
                    tracker.progress().total() - tracker.progress().done());
        }
    }

    /**
     * Stops following the run at the next turn of its loop (Ctrl-C): the run goes on with the broker and the workers,
     * its events wait in its queue, and {@code lazarus watch} takes it up.
     */
    public void detach() {
        detached.set(true);
    }

    /** Thrown out of a followed run by {@link #detach}. */
    public static final class RunDetached extends RuntimeException {
        private final String runId;

        RunDetached(String runId) {
            super("stopped following run " + runId);
            this.runId = runId;
        }

        public String runId() {
            return runId;
        }
    }

    /** {@code --resurrect auto}: the run's own candidates that waited long enough come back, or are set aside. */
    private void resurrectDue(String runId, RunTracker tracker, RunOptions options, PrintStream out) {
        Instant now = Instant.now();
        DrainRequest request = DrainRequest.withinRun(runId, resurrection.limit(),
                candidate -> tracker.due(candidate.nodeId(), candidate.attempt(), now, options.resurrectDelay()));
        resurrection.drain(request, judged -> {
            out.println(judged.describe());
            DeadLetteredMessage candidate = judged.candidate();
            switch (judged.verdict().kind()) {
                case RESURRECT -> tracker.resurrected(candidate.nodeId(), judged.nextAttempt(), judged.resurrections());
                case QUARANTINE, DROP -> tracker.judged(candidate.nodeId(), candidate.attempt(), judged.verdict().state(),
                        judged.verdict().detail());
                case LEAVE -> {
                }
            }
        });
    }

    /** To the millisecond, as the registry keeps it: a report read back equals the one written. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String describe(RunTracker.Progress p, Instant started) {
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String outcomes = p.outcomes().entrySet().stream()
                .map((Map.Entry<Outcome, Integer> e) -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "[%02d:%02d] %d/%d done%s; running %d, queued %d", seconds / 60, seconds % 60,
                p.done(), p.total(), outcomes.isEmpty() ? "" : " (" + outcomes + ")", p.count(NodeState.RUNNING),
                p.count(NodeState.PENDING));
    }
}
