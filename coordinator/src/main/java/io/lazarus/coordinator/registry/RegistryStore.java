package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The durable registry: runs with their inputs, each run's nodes and manifest, every attempt. Recording an event is
 * idempotent by attempt id: a redelivered event changes nothing, and a node never moves back from a final state.
 *
 * <p>Each table's SQL is in a class of its own; this facade keeps the contract and the transactions: a write that
 * spans tables, or that a lease fences, runs here in one transaction.
 */
@Repository
public class RegistryStore {

    /** By node, then as a node's events happen: each attempt started, finished, then dead-lettered. */
    private static final Comparator<AttemptEvent> LOCK_ORDER = Comparator.comparing(AttemptEvent::runId)
            .thenComparing(AttemptEvent::nodeId)
            .thenComparingInt(AttemptEvent::attempt)
            .thenComparing(AttemptEvent::type);

    private final TransactionTemplate transaction;
    private final RunsTable runs;
    private final RunLeasesTable leases;
    private final RunNodesTable runNodes;
    private final AttemptsTable attempts;
    private final DeadLettersTable deadLetters;
    private final DispatchedAttemptsTable dispatched;
    private final ExecutionsTable executions;
    private final OutputTable output;
    private final HistoryTables history;
    private final RecentlyRecorded recent;
    private final Lock recording = new ReentrantLock();

    RegistryStore(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transaction) {
        this(jdbc, batch, transaction, DataSize.ofMegabytes(8), 0);
    }

    /**
     * @param outputCap        what one attempt may send of its output, as the workers' {@code lazarus.worker.output.cap}
     * @param rememberedEvents how many recorded events to remember, to know a second copy without a query (a service
     *                         receives each event twice): {@code lazarus.registry.remembered-events}
     */
    @Autowired
    RegistryStore(
            JdbcClient jdbc,
            JdbcTemplate batch,
            TransactionTemplate transaction,
            @Value("${lazarus.registry.output-cap:8MB}") DataSize outputCap,
            @Value("${lazarus.registry.remembered-events:0}") int rememberedEvents) {
        this.transaction = transaction;
        this.recent = new RecentlyRecorded(rememberedEvents);
        this.runs = new RunsTable(jdbc);
        this.leases = new RunLeasesTable(jdbc, transaction);
        this.runNodes = new RunNodesTable(jdbc, batch);
        this.attempts = new AttemptsTable(jdbc, batch);
        this.deadLetters = new DeadLettersTable(jdbc);
        this.dispatched = new DispatchedAttemptsTable(jdbc, batch);
        this.executions = new ExecutionsTable(jdbc, batch);
        this.output = new OutputTable(jdbc, batch, outputCap.toBytes());
        this.history = new HistoryTables(jdbc, batch);
    }

    /** Records a run and its nodes like {@link #createRun}, its lease held by {@code owner} from the first moment. */
    public Lease createOwnedRun(RunRecord run, List<NodeTarget> nodes, String owner, Instant leaseUntil) {
        return createOwnedRun(run, nodes, List.of(), owner, leaseUntil);
    }

    /**
     * {@link #createOwnedRun(RunRecord, List, String, Instant)} with the first of its messages recorded as released
     * in the same transaction, as {@link #recordReleasing} would: the run's first window goes out without a write and
     * a commit of its own.
     */
    public Lease createOwnedRun(
            RunRecord run, List<NodeTarget> nodes, List<InstallMessage> released, String owner, Instant leaseUntil) {
        return transaction.execute(status -> {
            insertRun(run, nodes, released);
            return leases.own(run.runId(), owner, leaseUntil);
        });
    }

    /**
     * Takes the lease of an unfinished run that nobody holds or whose holder let it expire: one conditional update, so
     * of replicas asking at once one wins. Empty when another replica holds it, or the run has ended.
     */
    public Optional<Lease> acquireLease(String runId, String owner, Instant now, Instant until) {
        return leases.acquire(runId, owner, now, until);
    }

    /** Extends a lease its holder still has; false once another replica took it (the holder must stop at once). */
    public boolean renewLease(Lease lease, Instant until) {
        return leases.renew(lease, until);
    }

    /** Gives a lease up: another replica may take the run at its next look instead of waiting for the expiry. */
    public void releaseLease(Lease lease) {
        leases.release(lease);
    }

    /** Who follows the run now; empty when nobody holds its lease. */
    public Optional<LeaseHolder> leaseHolder(String runId) {
        return leases.holder(runId);
    }

    /** {@link #recordReleasing}, refused with {@link LeaseLost} unless the lease is still the run's. */
    public void recordReleasing(Lease lease, List<InstallMessage> messages, Instant at) {
        fenced(lease, () -> recordReleasing(lease.runId(), messages, at));
    }

    /** {@link #cancelUnreleased}, refused with {@link LeaseLost} unless the lease is still the run's. */
    public void cancelUnreleased(Lease lease, String why, Instant at) {
        fenced(lease, () -> cancelUnreleased(lease.runId(), why, at));
    }

    /** {@link #markGhosts}, refused with {@link LeaseLost} unless the lease is still the run's. */
    public void markGhosts(Lease lease, List<String> nodeIds, Instant at) {
        fenced(lease, () -> markGhosts(lease.runId(), nodeIds, at));
    }

    /** Ends the run as {@link #finishRun} and gives its lease up; refused with {@link LeaseLost} once lost. */
    public void finishRun(Lease lease, RunState state, Instant at) {
        fenced(lease, () -> {
            finishRun(lease.runId(), state, at);
            leases.release(lease);
        });
    }

    /** Throws {@link LeaseLost} unless the lease is still the run's: a check before work no single write covers. */
    public void requireLease(Lease lease) {
        fenced(lease, () -> {});
    }

    private void fenced(Lease lease, Runnable write) {
        transaction.executeWithoutResult(status -> {
            leases.fence(lease);
            write.run();
        });
    }

    /** Records a run and its nodes, all PENDING, before anything is published. */
    public void createRun(RunRecord run, List<NodeTarget> nodes) {
        transaction.executeWithoutResult(status -> insertRun(run, nodes, List.of()));
    }

    private void insertRun(RunRecord run, List<NodeTarget> nodes, List<InstallMessage> released) {
        runs.insert(run, nodes.size());
        runNodes.insert(run.runId(), nodes, released, run.createdAt());
        dispatched.released(run.runId(), released);
        history.commands(run);
    }

    /**
     * About to publish these messages: their attempt ids are recorded first, so that a coordinator killed before the
     * broker's confirm comes back never publishes a node twice. A node released but unconfirmed at a crash is counted
     * as dispatched; if its message never reached the broker, it ends as a GHOST, visible, instead of running twice.
     */
    public void recordReleasing(String runId, List<InstallMessage> messages, Instant at) {
        transaction.executeWithoutResult(status -> {
            runNodes.releasing(runId, messages, at);
            dispatched.released(runId, messages);
        });
    }

    /**
     * Records one attempt event; returns whether it was new. Events of runs or nodes this registry never created are
     * ignored (returns false): they belong to another registry.
     */
    public boolean record(AttemptEvent event) {
        if (!knows(event.runId(), event.nodeId())) {
            return false;
        }
        return !transaction.execute(status -> recordInOrder(List.of(event))).isEmpty();
    }

    /**
     * Records events the gate admitted (each about an attempt this registry dispatched) in one transaction; returns
     * those that were new. The events' runs are taken first, as a lease's fence takes its run, so that two batches of
     * a run recorded at once (by another process on the same registry) take turns instead of deadlocking. A copy of an
     * event this process recorded lately is known without a query, and is not new.
     */
    public List<AttemptEvent> recordAdmitted(List<AttemptEvent> events) {
        return recordUnseen(Optional.empty(), events);
    }

    /**
     * {@link #recordAdmitted}, refused with {@link LeaseLost} unless the lease is still the run's, and then nothing of
     * the batch is recorded. The fence is the transaction's first write, so its commit (a file write per transaction
     * on H2) also carries the batch; a batch of copies alone is fenced too, so a follower taken over learns it now.
     */
    public List<AttemptEvent> recordAdmitted(Lease lease, List<AttemptEvent> events) {
        return recordUnseen(Optional.of(lease), events);
    }

    /**
     * One batch at a time in this process: the run's follower and the service's ingest take the same events at the
     * same moment, and the second to record finds the first's batch recorded and remembered, instead of trying every
     * row again in a transaction of its own.
     */
    private List<AttemptEvent> recordUnseen(Optional<Lease> lease, List<AttemptEvent> events) {
        recording.lock();
        try {
            List<AttemptEvent> unseen = recent.unseen(events);
            if (unseen.isEmpty() && lease.isEmpty()) {
                return List.of();
            }
            List<AttemptEvent> recorded = transaction.execute(status -> {
                lease.ifPresent(leases::fence);
                return recordInOrder(unseen);
            });
            recent.remember(unseen);
            return recorded;
        } finally {
            recording.unlock();
        }
    }

    /**
     * Takes the events' runs first, then writes a table at a time, in an order that keeps each attempt's events in
     * theirs (started, finished, dead-lettered): a round trip a table instead of one a statement, about nine a node
     * before. A node's state follows its current attempt only, so the events of different attempts of one node
     * (a late event of the attempt before) leave it as they would one at a time.
     */
    private List<AttemptEvent> recordInOrder(List<AttemptEvent> events) {
        List<AttemptEvent> ordered = events.stream().sorted(LOCK_ORDER).toList();
        runs.lock(ordered.stream().map(AttemptEvent::runId).toList());
        List<AttemptEvent> starting = ofType(ordered, EventType.STARTED);
        List<AttemptEvent> finishing = ofType(ordered, EventType.FINISHED);
        List<AttemptEvent> started = where(starting, attempts.started(starting), true);
        boolean[] closes = attempts.finished(finishing);
        List<AttemptEvent> closed = where(finishing, closes, true);
        runNodes.started(started);
        runNodes.finished(closed);
        // after the attempts (written before them, they made H2 write its pages mid-transaction: 3.1 CPU-s for a
        // 5000-node run's events against 1.1) and before the FINISHED events' executions, which look for theirs
        executions.started(starting);
        List<AttemptEvent> recordedOthers = ordered.stream()
                .filter(event -> switch (event.type()) {
                    case OUTPUT -> output.record(event);
                    case DEAD_LETTERED -> recordDeadLettered(event);
                    case STARTED, FINISHED -> false;
                })
                .toList();
        output.recordAll(finishing); // their last chunks, inline
        history.silences(closed);
        executions.closedTheirAttempts(closed);
        where(finishing, closes, false).forEach(executions::finishedWithoutClosing);
        closed.forEach(event -> dispatched.finished(event.runId(), event.nodeId(), event.attemptId()));
        return Stream.of(started, closed, recordedOthers)
                .flatMap(List::stream)
                .sorted(LOCK_ORDER)
                .toList();
    }

    /** The events whose mark is {@code marked}. */
    private static List<AttemptEvent> where(List<AttemptEvent> events, boolean[] marks, boolean marked) {
        return IntStream.range(0, events.size())
                .filter(i -> marks[i] == marked)
                .mapToObj(events::get)
                .toList();
    }

    private static List<AttemptEvent> ofType(List<AttemptEvent> events, EventType type) {
        return events.stream().filter(event -> event.type() == type).toList();
    }

    private boolean recordDeadLettered(AttemptEvent event) {
        DeadLetter dead = event.deadLetter();
        boolean recorded = deadLetters.record(event.runId(), event.nodeId(), event.attemptId(), event.attempt(), dead);
        runNodes.deadLettered(event, dead.reason());
        return recorded;
    }

    /** Whether this registry holds the run and node at all: an event of another registry's run is none of ours. */
    public boolean knows(String runId, String nodeId) {
        return runNodes.contains(runId, nodeId);
    }

    /** Whether this coordinator released that attempt of that node: only then may an event about it be recorded. */
    public boolean dispatched(String runId, String nodeId, String attemptId) {
        return dispatched.contains(runId, nodeId, attemptId);
    }

    /** Every execution of the run's attempts, by node id, oldest first. */
    public Map<String, List<ExecutionRecord>> executions(String runId) {
        return executions.ofRun(runId);
    }

    /** Every execution of the node's attempts, oldest first. */
    public List<ExecutionRecord> executions(String runId, String nodeId) {
        return executions.ofNode(runId, nodeId);
    }

    /** What the gatekeeper knows of a candidate's node; empty for a run or node this registry never created. */
    public Optional<Standing> standing(String runId, String nodeId, String attemptId) {
        return runNodes.standing(runId, nodeId, attemptId);
    }

    /**
     * A node comes back as a new attempt: recorded before it is published, so that a crash before the candidate is
     * acknowledged finds the node already moved on to this attempt and publishes the same one again.
     *
     * @param reopen the run's follower is gone: the run becomes RUNNING again until someone follows it to its end
     */
    public void recordResurrecting(
            String fromAttemptId,
            InstallMessage next,
            int resurrections,
            String verdict,
            String detail,
            boolean reopen,
            Instant at) {
        transaction.executeWithoutResult(status -> {
            dispatched.supersede(next.runId(), next.node().id(), fromAttemptId);
            if (runNodes.resurrect(fromAttemptId, next, resurrections, at)) {
                dispatched.released(next.runId(), List.of(next));
            } else {
                // the node is on another attempt by now: this one is released all the same, and known as such
                dispatched.add(next.runId(), List.of(next), at);
            }
            deadLetters.decide(
                    next.runId(),
                    next.node().id(),
                    fromAttemptId,
                    next.attempt() - 1,
                    resurrections,
                    verdict,
                    detail,
                    at);
            if (reopen) {
                runs.reopen(next.runId(), next.deadline());
            }
        });
    }

    /**
     * The gatekeeper's verdict on a candidate that does not come back; {@code state}, if given, is the node's state
     * from now on, unless it has moved on to another attempt or succeeded since.
     */
    public void recordVerdict(
            String runId,
            String nodeId,
            String attemptId,
            int attempt,
            int resurrections,
            String verdict,
            String detail,
            NodeState state,
            Instant at) {
        transaction.executeWithoutResult(status -> {
            deadLetters.decide(runId, nodeId, attemptId, attempt, resurrections, verdict, detail, at);
            if (state != null) {
                runNodes.judged(runId, nodeId, attemptId, state, at);
            }
        });
    }

    /**
     * What the gatekeeper said last of each node it did not bring back, by node id: nothing for a node whose last dead
     * letter was resurrected or not judged yet.
     */
    public Map<String, String> lastVerdicts(String runId) {
        return deadLetters.lastVerdicts(runId);
    }

    /**
     * The longest silences of the successful runs of a command of a script (by the script's name and the command's
     * digest) since then, newest first, at most {@code limit}: what a stall timeout is learned from.
     */
    public List<Long> commandSilences(String scriptName, String commandSha256, Instant since, int limit) {
        return history.silences(scriptName, commandSha256, since, limit);
    }

    /**
     * How often each node, by id, failed in passing since then, in any run: attempts that ended CONNECT_FAILED,
     * STALLED, TIMED_OUT or DISCONNECTED, and dead letters. Nodes without any are left out.
     */
    public Map<String, Integer> transientFailures(Instant since) {
        return history.transientFailures(since);
    }

    /** Every dead letter of a run, oldest first. */
    public List<DeadLetterRecord> deadLetters(String runId) {
        return deadLetters.ofRun(runId);
    }

    /** The run stopped releasing, for this reason: its nodes never dispatched will never run. The first reason stays. */
    public void cancelUnreleased(String runId, String why, Instant at) {
        transaction.executeWithoutResult(status -> {
            runs.stopRelease(runId, why);
            runNodes.cancelUnreleased(runId, at);
        });
    }

    /** Nodes nothing more will come for, reconciled against the manifest. */
    public void markGhosts(String runId, List<String> nodeIds, Instant at) {
        runNodes.markGhosts(runId, nodeIds, at);
    }

    /** Ends a run: its follower is done with it. A cancelled run stays CANCELLED. */
    public void finishRun(String runId, RunState state, Instant at) {
        runs.finish(runId, state, at);
    }

    /** Records the name of the service token that started the run (never its value). */
    public void recordStartedBy(String runId, String tokenName) {
        runs.startedBy(runId, tokenName);
    }

    /** Asks whoever follows the run to release no more of its nodes; false if it is not running. */
    public boolean requestCancel(String runId) {
        return runs.requestCancel(runId);
    }

    /** Whether the run has ended (its follower finished it): one row's one column, for those who wait for the end. */
    public boolean finished(String runId) {
        return runs.finished(runId);
    }

    public boolean cancelRequested(String runId) {
        return runs.cancelRequested(runId);
    }

    /** Claims the runs a resurrection reopened: each is returned to one caller only, who follows it. */
    public List<String> claimReopened() {
        return runs.claimReopened();
    }

    /** Whoever follows a run now has taken it up: it is no longer waiting as reopened. */
    public void takenUp(String runId) {
        runs.takenUp(runId);
    }

    /** Runs nobody has finished following: a service that starts takes them up. */
    public List<String> unfinishedRuns() {
        return runs.unfinished();
    }

    public Optional<NodeRecord> node(String runId, String nodeId) {
        return runNodes.find(runId, nodeId);
    }

    public Optional<RunRecord> run(String runId) {
        return runs.find(runId);
    }

    /** The run's nodes in the order they were created, all or those in one state. */
    public List<NodeRecord> nodes(String runId, Optional<NodeState> state) {
        return runNodes.ofRun(runId, state);
    }

    public Map<NodeState, Integer> nodeStates(String runId) {
        return runNodes.states(runId);
    }

    /** A node's attempts, oldest first, each with the output tails its worker reported. */
    public List<AttemptRecord> attempts(String runId, String nodeId) {
        return attempts.ofNode(runId, nodeId);
    }

    /** Chunks of an attempt's output after {@code afterSeq} (-1 for all), in the order the worker cut them. */
    public List<OutputRecord> output(String attemptId, long afterSeq) {
        return output.read(attemptId, afterSeq);
    }

    /** The ids of every finished attempt of the run, by node id: what a resumed run must not count twice. */
    public Map<String, Set<String>> finishedAttemptIds(String runId) {
        return attempts.finishedIds(runId);
    }

    public int countRuns(RunState state) {
        return runs.count(state);
    }

    public int countNodesOfRunningRuns(NodeState state) {
        return runNodes.countOfRunningRuns(state);
    }

    /** Each node's last started attempt, by node id. */
    public Map<String, AttemptRecord> lastStartedAttempts(String runId) {
        return attempts.lastStarted(runId);
    }

    /** What these attempts of a run reported, by attempt id; an attempt not finished (or not known) is missing. */
    public Map<String, AttemptResult> attemptResults(String runId, Collection<String> attemptIds) {
        return attempts.results(runId, attemptIds);
    }

    /** Each node's last finished attempt, by node id. */
    public Map<String, AttemptRecord> lastFinishedAttempts(String runId) {
        return attempts.lastFinished(runId);
    }

    Map<String, Outcome> lastFinishedOutcomes(String runId) {
        return attempts.lastFinishedOutcomes(runId);
    }

    List<NodeTally> nodeTallies(String runId) {
        return runNodes.tallies(runId);
    }
}
