package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import io.lazarus.coordinator.dispatch.CancelPublisher;
import io.lazarus.coordinator.dispatch.InstallPublisher;
import io.lazarus.coordinator.history.FleetHistory;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.ExecutionRecord;
import io.lazarus.coordinator.registry.Lease;
import io.lazarus.coordinator.registry.LeaseLost;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.report.ReportRehearsal;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.resurrection.CandidateDrain;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.DrainRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Dispatches a run and, when asked, follows it to its end. */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    /** How often a run with queued nodes asks whether any worker listens. */
    private static final Duration CONSUMER_CHECK = Duration.ofSeconds(3);
    /** How often a followed run looks for nodes nothing more will come for: each look visits every node. */
    private static final Duration RECONCILE = Duration.ofSeconds(1);
    /** How often a followed run asks the registry whether it was cancelled. */
    private static final Duration CANCEL_CHECK = Duration.ofMillis(500);

    private final InstallPublisher publisher;
    private final CoordinatorMetrics metrics;
    private final RegistryStore registry;
    private final CandidateDrain resurrection;
    private final RunEvents events;
    private final InstallConsumers consumers;
    private final CancelPublisher cancels;
    private final Clock clock;
    private final ReplicaProperties replica;
    private final FleetHistory history;
    private final Following following;

    RunService(
            InstallPublisher publisher,
            CoordinatorMetrics metrics,
            RegistryStore registry,
            CandidateDrain resurrection,
            RunEvents events,
            InstallConsumers consumers,
            CancelPublisher cancels,
            Clock clock,
            ReplicaProperties replica,
            FleetHistory history,
            Following following) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.registry = registry;
        this.resurrection = resurrection;
        this.events = events;
        this.consumers = consumers;
        this.cancels = cancels;
        this.clock = clock;
        this.replica = replica;
        this.history = history;
        this.following = following;
    }

    /**
     * Cancels a run: its follower releases no more of its nodes, and every worker is told to run none of those
     * already queued (they end CANCELLED); nodes already running finish. Returns false if it was not running.
     */
    public boolean cancel(String runId) {
        if (!registry.requestCancel(runId)) {
            return false;
        }
        registry.run(runId).ifPresent(run -> announceCancel(runId, run.deadline()));
        return true;
    }

    /** Returns false, and says why in the log, when the broker did not take the notice: it is repeated. */
    private boolean announceCancel(String runId, Instant deadline) {
        try {
            cancels.announce(runId, clock.instant(), deadline);
            return true;
        } catch (BrokerUnavailableException e) {
            log.warn(
                    "run {} is cancelled, but the workers could not be told ({}); its follower tells them again",
                    runId,
                    e.getMessage());
            return false;
        }
    }

    /**
     * Publishes one message per node; with {@code waitForOutcome}, follows the run until every node has an outcome
     * or the wait bound passes. Returns the report, or null when not waiting.
     */
    public RunReport run(
            String runId,
            List<InventoryNode> inventory,
            String inventoryText,
            InstallScript script,
            RunOptions requested,
            Progress progress)
            throws InterruptedException {
        return start(plan(runId, inventory, inventoryText, script, requested), progress);
    }

    /**
     * Works a run out without recording or sending anything of it (the history's lessons, the release order, the
     * messages), so that a command can do it while the broker is still being reached.
     */
    public PlannedRun plan(
            String runId,
            List<InventoryNode> inventory,
            String inventoryText,
            InstallScript script,
            RunOptions requested) {
        publisher.prepare();
        RunOptions options = learn(script, requested);
        List<InventoryNode> nodes = order(inventory, options);
        Instant deadline = now().plus(options.deadline());
        List<InstallMessage> messages = nodes.stream()
                .map(n -> firstAttempt(runId, n.target(), script, options, deadline))
                .toList();
        return new PlannedRun(runId, nodes, inventoryText, script, options, deadline, messages);
    }

    /** {@link #run}, for a run already {@link #plan planned}. */
    public RunReport start(PlannedRun planned, Progress progress) throws InterruptedException {
        String runId = planned.runId();
        List<InventoryNode> nodes = planned.nodes();
        InstallScript script = planned.script();
        RunOptions options = planned.options();
        // the run's clock starts as it is recorded; its deadline is the one its messages were made with
        Instant started = now();
        Instant deadline = planned.deadline();
        List<InstallMessage> messages = planned.messages();
        // the first window is recorded as released with the run: it goes out without a transaction of its own
        List<InstallMessage> first = messages.subList(0, Release.firstWindow(messages.size(), options.flow()));
        Lease lease = createRun(runId, nodes, first, planned.inventoryText(), script, options, started, deadline);
        FollowedRun run = new FollowedRun(runId, script, started, deadline, options, lease);
        if (!options.waitForOutcome()) {
            // the run's queue keeps its events for whoever looks later (status, report, watch): declared before the
            // first message is published, so none is missed
            events.keep(runId);
            // flow control needs someone to release more as outcomes arrive: the CLI refuses it without --wait
            release(run, messages, first.size(), progress);
            // a service's replica follows it from now on
            registry.releaseLease(lease);
            String nobody = consumers.warning();
            if (nobody != null) {
                progress.println("warning: " + nobody);
            }
            return null;
        }
        RunTracker tracker =
                new RunTracker(runId, nodes.stream().map(InventoryNode::target).toList(), clock);
        Release release = new Release(run, messages, 0, first.size(), Set.of(), registry, clock, this::release);
        return followToEnd(run, tracker, release, progress);
    }

    private static InstallMessage firstAttempt(
            String runId, NodeTarget node, InstallScript script, RunOptions options, Instant deadline) {
        return InstallMessage.firstAttempt(
                        runId, node, script, options.watchdog(), deadline, options.secrets(), options.vars())
                .withUploads(options.uploads());
    }

    /**
     * Records a new run with all its nodes held back, for {@link #resume(Lease, Progress)} to release and follow;
     * returns this replica's lease on it.
     */
    public Lease register(
            String runId, List<InventoryNode> nodes, String inventoryText, InstallScript script, RunOptions options) {
        RunOptions learned = learn(script, options);
        Instant started = now();
        return createRun(
                runId,
                order(nodes, learned),
                List.of(),
                inventoryText,
                script,
                learned,
                started,
                started.plus(options.deadline()));
    }

    /**
     * The stall timeouts the registry's history teaches, fixed when the run is created: recorded with its options, a
     * resumed run and its resurrections keep them.
     */
    private RunOptions learn(InstallScript script, RunOptions options) {
        Duration runStall =
                options.watchdog() == null ? null : options.watchdog().stall();
        return options.withHistory(history.learn(script, options.history(), runStall));
    }

    /**
     * The nodes as a run with this order and canary would release them, to show before it starts (a random order is
     * shown as listed).
     */
    public List<InventoryNode> releaseOrder(List<InventoryNode> nodes, RunOrder order, Integer canary) {
        return history.preview(nodes, n -> n.target().id(), order, canary == null ? 0 : canary);
    }

    /**
     * The nodes in the order they are released, recorded as their position: a resumed run releases the rest in the
     * same order.
     */
    private List<InventoryNode> order(List<InventoryNode> nodes, RunOptions options) {
        return history.order(
                nodes,
                n -> n.target().id(),
                options.history().order(),
                options.flow().canary(nodes.size()));
    }

    /**
     * The run and its nodes, all PENDING but those of {@code released}, recorded before anything is published, with
     * this replica's lease on it: no other replica takes it up while this one holds it.
     */
    private Lease createRun(
            String runId,
            List<InventoryNode> nodes,
            List<InstallMessage> released,
            String inventoryText,
            InstallScript script,
            RunOptions options,
            Instant started,
            Instant deadline) {
        return registry.createOwnedRun(
                new RunRecord(
                        runId,
                        started,
                        deadline,
                        RunState.RUNNING,
                        script.name(),
                        script.sha256(),
                        script.commands(),
                        inventoryText,
                        Contracts.mapper().writeValueAsString(options),
                        nodes.size(),
                        null,
                        null),
                nodes.stream().map(InventoryNode::target).toList(),
                released,
                replica.replicaId(),
                clock.instant().plus(replica.lease().duration()));
    }

    /**
     * Takes up a run whose coordinator went away: rebuilds its state from the registry, attaches to the run's events
     * (those its predecessor did not record are still there), releases the nodes it had not released, and follows
     * the run to its end. Returns null for a run that is no longer running.
     */
    public RunReport resume(String runId, Progress progress) throws InterruptedException {
        boolean told = false;
        while (true) {
            RunRecord record = registry.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            if (record.finishedAt() != null) {
                return null;
            }
            Optional<Lease> lease = registry.acquireLease(
                    runId,
                    replica.replicaId(),
                    clock.instant(),
                    clock.instant().plus(replica.lease().duration()));
            if (lease.isPresent()) {
                return resume(lease.get(), progress);
            }
            if (!told) {
                registry.leaseHolder(runId)
                        .ifPresent(h -> progress.println("run %s is followed by %s (lease until %s): waiting for it"
                                .formatted(runId, h.owner(), h.expiresAt())));
                told = true;
            }
            Thread.sleep(replica.lease().renewEvery());
        }
    }

    /** {@link #resume(String, Progress)} under a lease this replica has won. */
    public RunReport resume(Lease lease, Progress progress) throws InterruptedException {
        String runId = lease.runId();
        RunRecord record = registry.run(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        if (record.finishedAt() != null) {
            registry.releaseLease(lease);
            return null;
        }
        registry.takenUp(runId);
        RunOptions options = Contracts.mapper().readValue(record.options(), RunOptions.class);
        InstallScript script = new InstallScript(record.scriptName(), record.commands(), record.scriptSha256());
        List<NodeRecord> nodes = registry.nodes(runId, Optional.empty());
        RunTracker tracker = RunTracker.restore(
                runId,
                nodes,
                registry.lastFinishedAttempts(runId),
                registry.finishedAttemptIds(runId),
                registry.lastStartedAttempts(runId),
                registry.executions(runId).entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                e -> e.getValue().stream()
                                        .filter(ExecutionRecord::started)
                                        .map(ExecutionRecord::executionId)
                                        .collect(Collectors.toSet()))),
                clock);
        List<InstallMessage> messages = nodes.stream()
                .map(n -> n.dispatchedAttemptId() != null
                        ? new InstallMessage(
                                Contracts.SCHEMA_VERSION,
                                n.dispatchedAttemptId(),
                                runId,
                                1,
                                n.target(),
                                script,
                                options.watchdog(),
                                record.deadline(),
                                options.secrets(),
                                options.vars(),
                                options.uploads())
                        : firstAttempt(runId, n.target(), script, options, record.deadline()))
                .toList();
        // nodes are released in order: those dispatched, or held back for good, come first
        int released = (int) nodes.stream()
                .filter(n -> n.dispatchedAttemptId() != null || n.state() == NodeState.CANCELLED)
                .count();
        Set<String> dispatched = nodes.stream()
                .filter(n -> n.dispatchedAttemptId() != null)
                .map(NodeRecord::nodeId)
                .collect(Collectors.toSet());
        progress.println("resuming run %s: %d of %d node(s) released, %d with an outcome"
                .formatted(
                        runId,
                        dispatched.size(),
                        nodes.size(),
                        nodes.stream().filter(n -> n.state().done()).count()));
        FollowedRun run = new FollowedRun(runId, script, record.createdAt(), record.deadline(), options, lease);
        return followToEnd(
                run,
                tracker,
                new Release(run, messages, released, released, dispatched, registry, clock, this::release),
                progress);
    }

    private RunReport followToEnd(FollowedRun run, RunTracker tracker, Release release, Progress progress)
            throws InterruptedException {
        Lease lease = run.lease();
        try (LeaseKeeper keeper = new LeaseKeeper(lease, replica.lease(), registry, clock, Thread.currentThread());
                RunEvents.Stream stream = events.open(run.runId(), batch -> {
                    // recorded, in the lease's own transaction, and acknowledged only under the lease: a batch this
                    // follower takes after a takeover records nothing and goes back to the queue for the new owner;
                    // one recorded before it is in the registry the new owner reads to rebuild the run
                    try {
                        registry.recordAdmitted(lease, batch).forEach(metrics::ingested);
                    } catch (LeaseLost lost) {
                        keeper.takenOver();
                        holdUntilClosed();
                        throw lost;
                    }
                })) {
            following.started();
            ResultsReadAhead results = new ResultsReadAhead(ids -> registry.attemptResults(run.runId(), ids));
            try {
                release.more(tracker, progress);
                follow(run, tracker, stream, release, results, progress);
            } catch (InterruptedException | RuntimeException e) {
                if (keeper.lost() && !(e instanceof LeaseLost)) {
                    Thread.interrupted(); // the keeper's interrupt: this follower stops, the process goes on
                    throw new LeaseLost(lease, e);
                }
                if (!(e instanceof LeaseLost)) {
                    letGo(lease);
                }
                throw e;
            }
            RunReport report = tracker.report(
                            run.script(),
                            run.options().vars(),
                            run.started(),
                            now(),
                            release.manifest(),
                            results::results)
                    .withLearnedStall(run.options().history().learnedStall());
            registry.finishRun(lease, RunState.FINISHED, report.finishedAt());
            // the run's queue stays until it expires: an execution after the end (a replay, a late redelivery) waits
            // there for status, report or watch to record it
            return report;
        } finally {
            following.ended();
        }
    }

    /**
     * Holds a refused batch until the stream closes (its consumer then gives the batch back once): thrown at once, it
     * would come back to this consumer again and again, and a quorum queue drops a message requeued past its delivery
     * limit (20 by default on RabbitMQ 4).
     */
    private void holdUntilClosed() {
        try {
            Thread.sleep(replica.lease().renewEvery());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A follower that stops before the end (detached, shut down, failed) lets another take the run at once. */
    private void letGo(Lease lease) {
        boolean interrupted = Thread.interrupted();
        try {
            registry.releaseLease(lease);
        } catch (RuntimeException e) {
            // it lapses by itself
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Releases messages a window at a time, each window recorded as released before it is published (a follower that
     * dies in between finds it released when resumed, the rest not), so the first messages go out without waiting for
     * the last to be recorded. The release is the run's manifest: the broker's confirms count toward the progress line.
     *
     * @param recorded how many of the first messages are recorded as released already (with the run)
     */
    private void release(FollowedRun run, List<InstallMessage> messages, int recorded, Progress progress) {
        ProgressLine publishing = new ProgressLine(progress, run.options().progressInterval(), clock);
        AtomicInteger confirmed = new AtomicInteger();
        for (int from = 0; from < messages.size(); from += InstallPublisher.WINDOW) {
            List<InstallMessage> window =
                    messages.subList(from, Math.min(messages.size(), from + InstallPublisher.WINDOW));
            List<InstallMessage> unrecorded =
                    window.subList(Math.clamp(recorded - from, 0, window.size()), window.size());
            if (!unrecorded.isEmpty()) {
                registry.recordReleasing(run.lease(), unrecorded, clock.instant());
            }
            publisher.dispatch(window, 0, published -> {
                int done = confirmed.addAndGet(published.size());
                publishing.maybe(
                        () -> "published %d/%d (confirmed by the broker)".formatted(done, messages.size()),
                        done == messages.size());
            });
        }
        metrics.published(messages.size());
    }

    private void follow(
            FollowedRun run,
            RunTracker tracker,
            RunEvents.Stream stream,
            Release release,
            ResultsReadAhead results,
            Progress out)
            throws InterruptedException {
        RunOptions options = run.options();
        ProgressLine line = new ProgressLine(out, options.progressInterval(), clock);
        boolean candidatesCount = options.resurrectsItself();
        Instant waitUntil = run.waitUntil();
        Instant lastDrain = Instant.MIN;
        Instant lastConsumerCheck = Instant.MIN;
        Instant lastReconcile = Instant.MIN;
        Instant lastCancelCheck = Instant.MIN;
        Instant lastAnnounced = Instant.MIN;
        String nobody = null;
        while (!tracker.complete(candidatesCount) && clock.instant().isBefore(waitUntil)) {
            if (following.detachRequested()) {
                throw new RunDetached(run.runId());
            }
            if (tracker.progress().count(NodeState.PENDING) > 0
                    && clock.instant().isAfter(lastConsumerCheck.plus(CONSUMER_CHECK))) {
                String now = consumers.warning();
                if (now != null && nobody == null) {
                    out.println("warning: " + now);
                }
                nobody = now;
                lastConsumerCheck = clock.instant();
            }
            String noWorker = nobody;
            for (AttemptEvent event : stream.poll(Duration.ofMillis(200))) {
                if (tracker.apply(event)) {
                    metrics.received(event);
                    ReportRehearsal.once(event.result());
                }
            }
            release.more(tracker, out);
            results.maybeStart(tracker);
            if (clock.instant().isAfter(lastCancelCheck.plus(CANCEL_CHECK))) {
                lastCancelCheck = clock.instant();
                // repeated while the run goes on: a worker that started since the last notice hears it too
                if (!clock.instant().isBefore(lastAnnounced.plus(CancelNotice.REPEAT))
                        && registry.cancelRequested(run.runId())) {
                    if (lastAnnounced == Instant.MIN) {
                        out.println("run cancelled: workers run none of its queued nodes (they end CANCELLED);"
                                + " nodes already running finish");
                    }
                    announceCancel(run.runId(), run.deadline());
                    lastAnnounced = clock.instant();
                }
            }
            if (candidatesCount && tracker.anyDeadLettered() && clock.instant().isAfter(lastDrain.plusSeconds(1))) {
                resurrectDue(run, tracker, out);
                lastDrain = clock.instant();
            }
            List<String> ghosts = List.of();
            if (clock.instant().isAfter(lastReconcile.plus(RECONCILE))) {
                ghosts = tracker.reconcile(
                        clock.instant(),
                        release.dispatched(),
                        run.deadline(),
                        options.maxNodeTime(),
                        options.ghostGrace());
                lastReconcile = clock.instant();
            }
            if (!ghosts.isEmpty()) {
                registry.markGhosts(run.lease(), ghosts, clock.instant());
                metrics.ghosts(ghosts.size());
                out.println("%d node(s) reconciled as GHOST: dispatched, and no outcome will come"
                        .formatted(ghosts.size()));
            }
            RunTracker.Progress p = tracker.progress();
            int held = release.heldBack();
            line.maybe(
                    () -> describe(p, run.started())
                            + (held > 0 ? ", held back " + held : "")
                            + (noWorker != null && p.count(NodeState.PENDING) > 0 ? "; no worker is consuming" : ""),
                    tracker.complete(candidatesCount));
        }
        if (!tracker.complete(candidatesCount)) {
            out.println("wait ended at %s with %d node(s) still without an outcome: reported as GHOST"
                    .formatted(
                            waitUntil,
                            tracker.progress().total() - tracker.progress().done()));
        }
    }

    /** Thrown out of a followed run by {@link Following#detach}. */
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
    private void resurrectDue(FollowedRun run, RunTracker tracker, Progress out) {
        // a former owner woken after a takeover drains no candidate: each one reaches one consumer only, and the new
        // owner's drain must get it
        registry.requireLease(run.lease());
        Instant now = clock.instant();
        DrainRequest request = DrainRequest.withinRun(
                run.runId(),
                resurrection.limit(),
                candidate -> tracker.due(
                        candidate.nodeId(),
                        candidate.attempt(),
                        now,
                        run.options().resurrectDelay()));
        resurrection.drain(request, judged -> {
            out.println(judged.describe());
            DeadLetteredMessage candidate = judged.candidate();
            switch (judged.verdict().kind()) {
                case RESURRECT -> tracker.resurrected(candidate.nodeId(), judged.nextAttempt(), judged.resurrections());
                case QUARANTINE, DROP ->
                    tracker.judged(
                            candidate.nodeId(),
                            candidate.attempt(),
                            judged.verdict().state(),
                            judged.verdict().detail());
                case LEAVE -> {}
            }
        });
    }

    /** To the millisecond, as the registry keeps it: a report read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private String describe(RunTracker.Progress p, Instant started) {
        long seconds = Duration.between(started, clock.instant()).toSeconds();
        String outcomes = p.outcomes().entrySet().stream()
                .map((Map.Entry<Outcome, Integer> e) -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "[%02d:%02d] %d/%d done%s; running %d, queued %d",
                seconds / 60,
                seconds % 60,
                p.done(),
                p.total(),
                outcomes.isEmpty() ? "" : " (" + outcomes + ")",
                p.count(NodeState.RUNNING),
                p.count(NodeState.PENDING));
    }
}
