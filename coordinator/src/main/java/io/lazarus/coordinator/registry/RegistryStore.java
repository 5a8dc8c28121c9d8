package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.type.TypeReference;

/**
 * The durable registry: runs with their inputs, each run's nodes and manifest, every attempt. Recording an event is
 * idempotent by attempt id: a redelivered event changes nothing, and a node never moves back from a final state.
 */
@Repository
public class RegistryStore {

    private static final TypeReference<Map<String, String>> FACTS = new TypeReference<>() {};
    private static final TypeReference<List<String>> COMMANDS = new TypeReference<>() {};

    /** By node, then as a node's events happen: each attempt started, finished, then dead-lettered. */
    private static final Comparator<AttemptEvent> LOCK_ORDER = Comparator.comparing(AttemptEvent::runId)
            .thenComparing(AttemptEvent::nodeId)
            .thenComparingInt(AttemptEvent::attempt)
            .thenComparing(AttemptEvent::type);

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate transaction;
    private final DispatchedAttemptsTable dispatched;
    private final ExecutionsTable executions;
    private final OutputTable output;
    private final RunLeasesTable leases;

    RegistryStore(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate transaction) {
        this(jdbc, batch, transaction, DataSize.ofMegabytes(8));
    }

    /** @param outputCap what one attempt may send of its output, as the workers' {@code lazarus.worker.output.cap} */
    @Autowired
    RegistryStore(
            JdbcClient jdbc,
            JdbcTemplate batch,
            TransactionTemplate transaction,
            @Value("${lazarus.registry.output-cap:8MB}") DataSize outputCap) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.transaction = transaction;
        this.dispatched = new DispatchedAttemptsTable(jdbc, batch);
        this.executions = new ExecutionsTable(jdbc);
        this.output = new OutputTable(jdbc, outputCap.toBytes());
        this.leases = new RunLeasesTable(jdbc, transaction);
    }

    /** Records a run and its nodes like {@link #createRun}, its lease held by {@code owner} from the first moment. */
    public Lease createOwnedRun(RunRecord run, List<NodeTarget> nodes, String owner, Instant leaseUntil) {
        return transaction.execute(status -> {
            createRun(run, nodes);
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

    /** {@link #recordDispatched}, refused with {@link LeaseLost} unless the lease is still the run's. */
    public void recordDispatched(Lease lease, List<InstallMessage> confirmed, Instant at) {
        fenced(lease, () -> recordDispatched(lease.runId(), confirmed, at));
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
        transaction.executeWithoutResult(status -> {
            jdbc.sql("""
                    insert into runs (run_id, created_at, deadline, state, script_name, script_sha256, script, inventory,
                                      options, total)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            run.runId(),
                            utc(run.createdAt()),
                            utc(run.deadline()),
                            run.state().name(),
                            run.scriptName(),
                            run.scriptSha256(),
                            json(run.commands()),
                            run.inventory(),
                            run.options(),
                            nodes.size())
                    .update();
            OffsetDateTime now = utc(run.createdAt());
            batch.batchUpdate(
                    """
                    insert into run_nodes (run_id, node_id, host, port, username, facts, state, finished_attempts,
                                           updated_at, position)
                    values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""",
                    java.util.stream.IntStream.range(0, nodes.size()).boxed().toList(),
                    500,
                    (ps, position) -> {
                        NodeTarget node = nodes.get(position);
                        ps.setString(1, run.runId());
                        ps.setString(2, node.id());
                        ps.setString(3, node.host());
                        ps.setInt(4, node.port());
                        ps.setString(5, node.user());
                        ps.setString(6, json(node.facts()));
                        ps.setString(7, NodeState.PENDING.name());
                        ps.setObject(8, now);
                        ps.setInt(9, position);
                    });
        });
    }

    /**
     * About to publish these messages: their attempt ids are recorded first, so that a coordinator killed before the
     * broker's confirm comes back never publishes a node twice. A node released but unconfirmed at a crash is counted
     * as dispatched; if its message never reached the broker, it ends as a GHOST, visible, instead of running twice.
     */
    public void recordReleasing(String runId, List<InstallMessage> messages, Instant at) {
        dispatched.add(runId, messages, at);
        batch.batchUpdate("""
                update run_nodes set dispatched_attempt_id = ?, updated_at = ?
                where run_id = ? and node_id = ?""", messages, 500, (ps, message) -> {
            ps.setString(1, message.attemptId());
            ps.setObject(2, utc(at));
            ps.setString(3, runId);
            ps.setString(4, message.node().id());
        });
    }

    /** The manifest: these install messages were confirmed by the broker. */
    public void recordDispatched(String runId, List<InstallMessage> confirmed, Instant at) {
        batch.batchUpdate("""
                update run_nodes set dispatched_attempt_id = ?, dispatched_at = ?, updated_at = ?
                where run_id = ? and node_id = ?""", confirmed, 500, (ps, message) -> {
            ps.setString(1, message.attemptId());
            ps.setObject(2, utc(at));
            ps.setObject(3, utc(at));
            ps.setString(4, runId);
            ps.setString(5, message.node().id());
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
        return Boolean.TRUE.equals(transaction.execute(status -> recordOne(event)));
    }

    /**
     * Records events the gate admitted (each about an attempt this registry dispatched) in one transaction; returns
     * those that were new. Rows are taken node by node, in one order, so that two batches recorded at once (the run's
     * follower and the service's ingest) cannot deadlock each other.
     */
    public List<AttemptEvent> recordAdmitted(List<AttemptEvent> events) {
        List<AttemptEvent> ordered = events.stream().sorted(LOCK_ORDER).toList();
        return transaction.execute(
                status -> ordered.stream().filter(this::recordOne).toList());
    }

    private boolean recordOne(AttemptEvent event) {
        executions.record(event);
        if (event.type() == EventType.FINISHED) {
            output.record(event); // its last chunks, inline
        }
        boolean recorded = switch (event.type()) {
            case STARTED -> recordStarted(event);
            case OUTPUT -> output.record(event);
            case FINISHED -> recordFinished(event);
            case DEAD_LETTERED -> recordDeadLettered(event);
        };
        if (recorded && event.type() == EventType.FINISHED) {
            dispatched.finished(event.runId(), event.nodeId(), event.attemptId());
        }
        return recorded;
    }

    /** Whether this registry holds the run and node at all: an event of another registry's run is none of ours. */
    public boolean knows(String runId, String nodeId) {
        return jdbc.sql("select count(*) from run_nodes where run_id = ? and node_id = ?")
                        .params(runId, nodeId)
                        .query(Integer.class)
                        .single()
                > 0;
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

    private boolean recordStarted(AttemptEvent event) {
        boolean inserted = insertAttempt(event);
        if (!inserted) {
            inserted = jdbc.sql(
                                    "update attempts set started_at = ?, worker = coalesce(worker, ?) where attempt_id = ? and started_at is null")
                            .params(utc(event.at()), event.worker(), event.attemptId())
                            .update()
                    > 0;
        }
        if (inserted) {
            jdbc.sql("update run_nodes set state = ?, updated_at = ? where run_id = ? and node_id = ? and state = ?")
                    .params(
                            NodeState.RUNNING.name(),
                            utc(event.at()),
                            event.runId(),
                            event.nodeId(),
                            NodeState.PENDING.name())
                    .update();
        }
        return inserted;
    }

    private boolean recordFinished(AttemptEvent event) {
        AttemptResult result = event.result();
        // the usual FINISHED closes the row its STARTED opened: one statement
        int finished = finishAttempt(event, result);
        if (finished == 0 && insertAttempt(event)) {
            finished = finishAttempt(event, result);
        }
        if (finished == 0) {
            return false;
        }
        // the state follows the node's current attempt only: a late event of an attempt it has moved on from counts,
        // but does not move it back
        jdbc.sql("""
                update run_nodes set finished_attempts = finished_attempts + 1, updated_at = ?,
                       state = case when coalesce(dispatched_attempt_id, ?) = ? then ? else state end,
                       last_outcome = case when coalesce(dispatched_attempt_id, ?) = ? then ? else last_outcome end
                where run_id = ? and node_id = ?""")
                .params(
                        utc(event.at()),
                        event.attemptId(),
                        event.attemptId(),
                        NodeState.after(result).name(),
                        event.attemptId(),
                        event.attemptId(),
                        result.outcome().name(),
                        event.runId(),
                        event.nodeId())
                .update();
        return true;
    }

    private int finishAttempt(AttemptEvent event, AttemptResult result) {
        return jdbc.sql("""
                update attempts set finished_at = ?, outcome = ?, result = ?, worker = ?, redelivered = ?
                where attempt_id = ? and finished_at is null""")
                .params(
                        utc(event.at()),
                        result.outcome().name(),
                        Contracts.mapper().writeValueAsString(result),
                        event.worker(),
                        event.redelivered(),
                        event.attemptId())
                .update();
    }

    private boolean recordDeadLettered(AttemptEvent event) {
        DeadLetter dead = event.deadLetter();
        boolean inserted = upsertDeadLetter(
                event.runId(), event.nodeId(), event.attemptId(), event.attempt(), dead.resurrections());
        int updated = jdbc.sql("""
                update dead_letters set reason = ?, queue = ?, dead_lettered_at = ?
                where attempt_id = ? and reason is null""")
                .params(dead.reason(), dead.queue(), utc(dead.at()), event.attemptId())
                .update();
        jdbc.sql("""
                update run_nodes set state = ?, dead_letter_reason = ?, updated_at = ?
                where run_id = ? and node_id = ? and coalesce(dispatched_attempt_id, ?) = ? and state in (?, ?, ?, ?, ?)""")
                .params(
                        NodeState.DEAD_LETTERED.name(),
                        dead.reason(),
                        utc(event.at()),
                        event.runId(),
                        event.nodeId(),
                        event.attemptId(),
                        event.attemptId(),
                        NodeState.PENDING.name(),
                        NodeState.RUNNING.name(),
                        NodeState.FAILED.name(),
                        NodeState.GHOST.name(),
                        NodeState.DEAD_LETTERED.name())
                .update();
        return inserted || updated > 0;
    }

    /** The dead letter of one attempt, created by whichever comes first: its record, or the gatekeeper's verdict. */
    private boolean upsertDeadLetter(String runId, String nodeId, String attemptId, int attempt, int resurrections) {
        return jdbc.sql("""
                insert into dead_letters (attempt_id, run_id, node_id, attempt, resurrections)
                values (?, ?, ?, ?, ?)
                on conflict do nothing""")
                        .params(attemptId, runId, nodeId, attempt, resurrections)
                        .update()
                > 0;
    }

    /** What the gatekeeper knows of a candidate's node; empty for a run or node this registry never created. */
    public Optional<Standing> standing(String runId, String nodeId, String attemptId) {
        return jdbc.sql("""
                select r.state as run_state, r.deadline, r.options, n.state, n.dispatched_attempt_id, n.attempt,
                       n.resurrections, a.result
                from run_nodes n join runs r on r.run_id = n.run_id
                left join attempts a on a.attempt_id = ?
                where n.run_id = ? and n.node_id = ?""")
                .params(attemptId, runId, nodeId)
                .query((rs, row) -> {
                    String result = rs.getString("result");
                    return new Standing(
                            RunState.valueOf(rs.getString("run_state")),
                            instant(rs, "deadline"),
                            rs.getString("options"),
                            NodeState.valueOf(rs.getString("state")),
                            rs.getString("dispatched_attempt_id"),
                            rs.getInt("attempt"),
                            rs.getInt("resurrections"),
                            result == null ? null : Contracts.mapper().readValue(result, AttemptResult.class));
                })
                .optional();
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
            dispatched.add(next.runId(), List.of(next), at);
            jdbc.sql("""
                    update run_nodes set dispatched_attempt_id = ?, dispatched_at = null, attempt = ?, resurrections = ?,
                           state = ?, dead_letter_reason = null, updated_at = ?
                    where run_id = ? and node_id = ? and dispatched_attempt_id in (?, ?)""")
                    .params(
                            next.attemptId(),
                            next.attempt(),
                            resurrections,
                            NodeState.PENDING.name(),
                            utc(at),
                            next.runId(),
                            next.node().id(),
                            fromAttemptId,
                            next.attemptId())
                    .update();
            decide(
                    next.runId(),
                    next.node().id(),
                    fromAttemptId,
                    next.attempt() - 1,
                    resurrections,
                    verdict,
                    detail,
                    at);
            if (reopen) {
                jdbc.sql("""
                        update runs set state = ?, finished_at = null, reopened = true,
                               deadline = case when deadline < ? then ? else deadline end
                        where run_id = ? and state = ?""")
                        .params(
                                RunState.RUNNING.name(),
                                utc(next.deadline()),
                                utc(next.deadline()),
                                next.runId(),
                                RunState.FINISHED.name())
                        .update();
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
            decide(runId, nodeId, attemptId, attempt, resurrections, verdict, detail, at);
            if (state != null) {
                jdbc.sql("""
                        update run_nodes set state = ?, updated_at = ?
                        where run_id = ? and node_id = ? and dispatched_attempt_id = ? and state <> ?""")
                        .params(state.name(), utc(at), runId, nodeId, attemptId, NodeState.SUCCEEDED.name())
                        .update();
            }
        });
    }

    private void decide(
            String runId,
            String nodeId,
            String attemptId,
            int attempt,
            int resurrections,
            String verdict,
            String detail,
            Instant at) {
        upsertDeadLetter(runId, nodeId, attemptId, attempt, resurrections);
        jdbc.sql("update dead_letters set verdict = ?, verdict_detail = ?, decided_at = ? where attempt_id = ?")
                .params(verdict, detail.length() > 1000 ? detail.substring(0, 1000) : detail, utc(at), attemptId)
                .update();
    }

    /**
     * What the gatekeeper said last of each node it did not bring back, by node id: nothing for a node whose last dead
     * letter was resurrected or not judged yet.
     */
    public Map<String, String> lastVerdicts(String runId) {
        Map<String, String> verdicts = new java.util.HashMap<>();
        deadLetters(runId).forEach(d -> {
            if (d.verdict() == null
                    || d.verdict().equals("resurrected")
                    || d.verdict().equals("released")) {
                verdicts.remove(d.nodeId());
            } else {
                verdicts.put(d.nodeId(), d.verdictDetail());
            }
        });
        return verdicts;
    }

    /** Every dead letter of a run, oldest first. */
    public List<DeadLetterRecord> deadLetters(String runId) {
        return jdbc.sql("select * from dead_letters where run_id = ? order by attempt, dead_lettered_at")
                .param(runId)
                .query((rs, row) -> new DeadLetterRecord(
                        rs.getString("attempt_id"),
                        rs.getString("run_id"),
                        rs.getString("node_id"),
                        rs.getInt("attempt"),
                        rs.getString("reason"),
                        rs.getString("queue"),
                        instant(rs, "dead_lettered_at"),
                        rs.getInt("resurrections"),
                        rs.getString("verdict"),
                        rs.getString("verdict_detail"),
                        instant(rs, "decided_at")))
                .list();
    }

    /** Concurrent copies of one event (the follower's, the service's ingest) insert once; neither aborts. */
    private boolean insertAttempt(AttemptEvent event) {
        return jdbc.sql("""
                insert into attempts (attempt_id, run_id, node_id, attempt, worker, redelivered, started_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing""")
                        .params(
                                event.attemptId(),
                                event.runId(),
                                event.nodeId(),
                                event.attempt(),
                                event.worker(),
                                event.redelivered(),
                                event.type() == EventType.STARTED ? utc(event.at()) : null)
                        .update()
                > 0;
    }

    /** The run stopped releasing, for this reason: its nodes never dispatched will never run. The first reason stays. */
    public void cancelUnreleased(String runId, String why, Instant at) {
        transaction.executeWithoutResult(status -> {
            jdbc.sql("update runs set release_stopped = coalesce(release_stopped, ?) where run_id = ?")
                    .params(why, runId)
                    .update();
            jdbc.sql("""
                    update run_nodes set state = ?, updated_at = ?
                    where run_id = ? and state = ? and dispatched_attempt_id is null""")
                    .params(NodeState.CANCELLED.name(), utc(at), runId, NodeState.PENDING.name())
                    .update();
        });
    }

    /** Nodes nothing more will come for, reconciled against the manifest. */
    public void markGhosts(String runId, List<String> nodeIds, Instant at) {
        batch.batchUpdate("""
                update run_nodes set state = ?, updated_at = ?
                where run_id = ? and node_id = ? and state in (?, ?)""", nodeIds, 500, (ps, nodeId) -> {
            ps.setString(1, NodeState.GHOST.name());
            ps.setObject(2, utc(at));
            ps.setString(3, runId);
            ps.setString(4, nodeId);
            ps.setString(5, NodeState.PENDING.name());
            ps.setString(6, NodeState.RUNNING.name());
        });
    }

    /** Ends a run: its follower is done with it. A cancelled run stays CANCELLED. */
    public void finishRun(String runId, RunState state, Instant at) {
        jdbc.sql("""
                update runs set state = case when state = ? then ? else state end, finished_at = ?
                where run_id = ? and finished_at is null""")
                .params(RunState.RUNNING.name(), state.name(), utc(at), runId)
                .update();
    }

    /** Records the name of the service token that started the run (never its value). */
    public void recordStartedBy(String runId, String tokenName) {
        jdbc.sql("update runs set started_by = ? where run_id = ?")
                .params(tokenName, runId)
                .update();
    }

    /** Asks whoever follows the run to release no more of its nodes; false if it is not running. */
    public boolean requestCancel(String runId) {
        return jdbc.sql("update runs set state = ? where run_id = ? and state = ?")
                        .params(RunState.CANCELLED.name(), runId, RunState.RUNNING.name())
                        .update()
                > 0;
    }

    public boolean cancelRequested(String runId) {
        return jdbc.sql("select count(*) from runs where run_id = ? and state = ?")
                        .params(runId, RunState.CANCELLED.name())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Claims the runs a resurrection reopened: each is returned to one caller only, who follows it. */
    public List<String> claimReopened() {
        return jdbc.sql("select run_id from runs where reopened = true").query(String.class).list().stream()
                .filter(runId -> jdbc.sql("update runs set reopened = false where run_id = ? and reopened = true")
                                .param(runId)
                                .update()
                        > 0)
                .toList();
    }

    /** Whoever follows a run now has taken it up: it is no longer waiting as reopened. */
    public void takenUp(String runId) {
        jdbc.sql("update runs set reopened = false where run_id = ?")
                .param(runId)
                .update();
    }

    /** Runs nobody has finished following: a service that starts takes them up. */
    public List<String> unfinishedRuns() {
        return jdbc.sql("select run_id from runs where finished_at is null order by created_at")
                .query(String.class)
                .list();
    }

    public Optional<NodeRecord> node(String runId, String nodeId) {
        return jdbc.sql("select * from run_nodes where run_id = ? and node_id = ?")
                .params(runId, nodeId)
                .query(RegistryStore::node)
                .optional();
    }

    public Optional<RunRecord> run(String runId) {
        return jdbc.sql("select * from runs where run_id = ?")
                .param(runId)
                .query(RegistryStore::run)
                .optional();
    }

    /** The run's nodes in the order they were created, all or those in one state. */
    public List<NodeRecord> nodes(String runId, Optional<NodeState> state) {
        String sql = "select * from run_nodes where run_id = ?" + (state.isPresent() ? " and state = ?" : "")
                + " order by position, node_id";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param(runId);
        if (state.isPresent()) {
            query = query.param(state.get().name());
        }
        return query.query(RegistryStore::node).list();
    }

    public Map<NodeState, Integer> nodeStates(String runId) {
        Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
        jdbc.sql("select state, count(*) as n from run_nodes where run_id = ? group by state")
                .param(runId)
                .query((rs, row) -> counts.put(NodeState.valueOf(rs.getString("state")), rs.getInt("n")))
                .list();
        return counts;
    }

    /** A node's attempts, oldest first, each with the output tails its worker reported. */
    public List<AttemptRecord> attempts(String runId, String nodeId) {
        return jdbc.sql("select * from attempts where run_id = ? and node_id = ? order by attempt, started_at")
                .params(runId, nodeId)
                .query(RegistryStore::attempt)
                .list();
    }

    /** Chunks of an attempt's output after {@code afterSeq} (-1 for all), in the order the worker cut them. */
    public List<OutputRecord> output(String attemptId, long afterSeq) {
        return output.read(attemptId, afterSeq);
    }

    /** The ids of every finished attempt of the run, by node id: what a resumed run must not count twice. */
    public Map<String, java.util.Set<String>> finishedAttemptIds(String runId) {
        Map<String, java.util.Set<String>> ids = new java.util.HashMap<>();
        jdbc.sql("select node_id, attempt_id from attempts where run_id = ? and finished_at is not null")
                .param(runId)
                .query((rs, row) -> ids.computeIfAbsent(rs.getString("node_id"), n -> new java.util.HashSet<>())
                        .add(rs.getString("attempt_id")))
                .list();
        return ids;
    }

    public int countRuns(RunState state) {
        return jdbc.sql("select count(*) from runs where state = ?")
                .param(state.name())
                .query(Integer.class)
                .single();
    }

    public int countNodesOfRunningRuns(NodeState state) {
        return jdbc.sql("""
                select count(*) from run_nodes n join runs r on r.run_id = n.run_id
                where r.state = ? and n.state = ?""")
                .params(RunState.RUNNING.name(), state.name())
                .query(Integer.class)
                .single();
    }

    /** Each node's last started attempt, by node id. */
    public Map<String, AttemptRecord> lastStartedAttempts(String runId) {
        Map<String, AttemptRecord> last = new java.util.HashMap<>();
        jdbc.sql("select * from attempts where run_id = ? and started_at is not null order by started_at")
                .param(runId)
                .query(RegistryStore::attempt)
                .list()
                .forEach(a -> last.put(a.nodeId(), a));
        return last;
    }

    /** Each node's last finished attempt, by node id. */
    public Map<String, AttemptRecord> lastFinishedAttempts(String runId) {
        Map<String, AttemptRecord> last = new java.util.HashMap<>();
        jdbc.sql("select * from attempts where run_id = ? and finished_at is not null order by finished_at")
                .param(runId)
                .query(RegistryStore::attempt)
                .list()
                .forEach(a -> last.put(a.nodeId(), a));
        return last;
    }

    private static RunRecord run(ResultSet rs, int row) throws SQLException {
        return new RunRecord(
                rs.getString("run_id"),
                instant(rs, "created_at"),
                instant(rs, "deadline"),
                RunState.valueOf(rs.getString("state")),
                rs.getString("script_name"),
                rs.getString("script_sha256"),
                Contracts.mapper().readValue(rs.getString("script"), COMMANDS),
                rs.getString("inventory"),
                rs.getString("options"),
                rs.getInt("total"),
                instant(rs, "finished_at"),
                rs.getString("release_stopped"));
    }

    private static NodeRecord node(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("last_outcome");
        return new NodeRecord(
                rs.getString("run_id"),
                rs.getString("node_id"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getString("username"),
                Contracts.mapper().readValue(rs.getString("facts"), FACTS),
                NodeState.valueOf(rs.getString("state")),
                rs.getString("dispatched_attempt_id"),
                instant(rs, "dispatched_at"),
                outcome == null ? null : Outcome.valueOf(outcome),
                rs.getInt("finished_attempts"),
                rs.getInt("attempt"),
                rs.getInt("resurrections"),
                rs.getString("dead_letter_reason"));
    }

    private static AttemptRecord attempt(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("outcome");
        String result = rs.getString("result");
        return new AttemptRecord(
                rs.getString("attempt_id"),
                rs.getString("run_id"),
                rs.getString("node_id"),
                rs.getInt("attempt"),
                rs.getString("worker"),
                rs.getBoolean("redelivered"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                outcome == null ? null : Outcome.valueOf(outcome),
                result == null ? null : Contracts.mapper().readValue(result, AttemptResult.class));
    }

    private static String json(Object value) {
        return Contracts.mapper().writeValueAsString(value);
    }
}
