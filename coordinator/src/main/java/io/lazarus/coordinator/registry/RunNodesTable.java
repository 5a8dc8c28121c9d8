package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.json;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;

/**
 * {@code run_nodes}: each node of a run with its state, the attempt it is on (the manifest) and how it got there. A
 * node's state follows its current attempt only, and never moves back from SUCCEEDED.
 */
final class RunNodesTable {

    private static final TypeReference<Map<String, String>> FACTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    RunNodesTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * The run's nodes, all PENDING, in inventory order; those with a message in {@code released} are released with it
     * already, as {@link #releasing} would record them.
     */
    void insert(String runId, List<NodeTarget> nodes, List<InstallMessage> released, Instant at) {
        OffsetDateTime now = utc(at);
        Map<String, String> attemptIds = released.stream()
                .collect(Collectors.toMap(message -> message.node().id(), InstallMessage::attemptId));
        AtomicInteger matched = new AtomicInteger();
        batch.batchUpdate("""
                insert into run_nodes (run_id, node_id, host, port, username, facts, state, finished_attempts,
                                       updated_at, position, dispatched_attempt_id)
                values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""", IntStream.range(0, nodes.size()).boxed().toList(), Sql.BATCH, (ps, position) -> {
            NodeTarget node = nodes.get(position);
            ps.setString(1, runId);
            ps.setString(2, node.id());
            ps.setString(3, node.host());
            ps.setInt(4, node.port());
            ps.setString(5, node.user());
            ps.setString(6, json(node.facts()));
            ps.setString(7, NodeState.PENDING.name());
            ps.setObject(8, now);
            ps.setInt(9, position);
            String attemptId = attemptIds.get(node.id());
            ps.setString(10, attemptId);
            if (attemptId != null) {
                matched.incrementAndGet();
            }
        });
        if (matched.get() != released.size()) {
            // the transaction rolls back: a message released for no node of the run would be published unrecorded
            throw new IllegalArgumentException(
                    (released.size() - matched.get()) + " released message(s) name no node of run " + runId);
        }
    }

    /**
     * The nodes' first release: a node released already keeps its attempt (the same release again changes nothing),
     * and one that is not the run's, or is on another attempt, fails the transaction before anything is published.
     */
    void releasing(String runId, List<InstallMessage> messages, Instant at) {
        int[][] updated = batch.batchUpdate("""
                update run_nodes set dispatched_attempt_id = ?, updated_at = ?
                where run_id = ? and node_id = ? and coalesce(dispatched_attempt_id, ?) = ?""", messages, Sql.BATCH, (ps, message) -> {
            ps.setString(1, message.attemptId());
            ps.setObject(2, utc(at));
            ps.setString(3, runId);
            ps.setString(4, message.node().id());
            ps.setString(5, message.attemptId());
            ps.setString(6, message.attemptId());
        });
        for (int b = 0; b < updated.length; b++) {
            for (int i = 0; i < updated[b].length; i++) {
                if (updated[b][i] == 0) {
                    InstallMessage refused = messages.get(b * Sql.BATCH + i);
                    throw new IllegalStateException("cannot release " + refused.attemptId() + ": node "
                            + refused.node().id() + " of run " + runId + " is not there, or on another attempt");
                }
            }
        }
    }

    /** A PENDING node is RUNNING. */
    void started(List<AttemptEvent> events) {
        Sql.batch(batch, """
                update run_nodes set state = ?, updated_at = ? where run_id = ? and node_id = ? and state = ?""", events, (ps, event) -> {
            ps.setString(1, NodeState.RUNNING.name());
            ps.setObject(2, utc(event.at()));
            ps.setString(3, event.runId());
            ps.setString(4, event.nodeId());
            ps.setString(5, NodeState.PENDING.name());
        });
    }

    /**
     * Counts each finished attempt; the state and outcome follow it only if it is the node's current attempt: a late
     * event of an attempt the node has moved on from counts, but does not move it back.
     */
    void finished(List<AttemptEvent> events) {
        Sql.batch(batch, """
                update run_nodes set finished_attempts = finished_attempts + 1, updated_at = ?,
                       state = case when coalesce(dispatched_attempt_id, ?) = ? then ? else state end,
                       last_outcome = case when coalesce(dispatched_attempt_id, ?) = ? then ? else last_outcome end
                where run_id = ? and node_id = ?""", events, (ps, event) -> {
            ps.setObject(1, utc(event.at()));
            ps.setString(2, event.attemptId());
            ps.setString(3, event.attemptId());
            ps.setString(4, NodeState.after(event.result()).name());
            ps.setString(5, event.attemptId());
            ps.setString(6, event.attemptId());
            ps.setString(7, event.result().outcome().name());
            ps.setString(8, event.runId());
            ps.setString(9, event.nodeId());
        });
    }

    /** The node's current attempt was dead-lettered: unless it succeeded, the node is DEAD_LETTERED. */
    void deadLettered(AttemptEvent event, String reason) {
        jdbc.sql("""
                update run_nodes set state = ?, dead_letter_reason = ?, updated_at = ?
                where run_id = ? and node_id = ? and coalesce(dispatched_attempt_id, ?) = ? and state in (?, ?, ?, ?, ?)""")
                .params(
                        NodeState.DEAD_LETTERED.name(),
                        reason,
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
    }

    /** The gatekeeper's state for the node, unless it has moved on to another attempt or succeeded since. */
    void judged(String runId, String nodeId, String attemptId, NodeState state, Instant at) {
        jdbc.sql("""
                update run_nodes set state = ?, updated_at = ?
                where run_id = ? and node_id = ? and dispatched_attempt_id = ? and state <> ?""")
                .params(state.name(), utc(at), runId, nodeId, attemptId, NodeState.SUCCEEDED.name())
                .update();
    }

    /**
     * The node moves on from {@code fromAttemptId} to {@code next}, PENDING again; a repeat changes nothing more.
     * Returns false, changing nothing, when the node is on neither.
     */
    boolean resurrect(String fromAttemptId, InstallMessage next, int resurrections, Instant at) {
        return jdbc.sql("""
                update run_nodes set dispatched_attempt_id = ?, attempt = ?, resurrections = ?,
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
                        .update()
                == 1;
    }

    /** Nodes never dispatched are CANCELLED. */
    void cancelUnreleased(String runId, Instant at) {
        jdbc.sql("""
                update run_nodes set state = ?, updated_at = ?
                where run_id = ? and state = ? and dispatched_attempt_id is null""")
                .params(NodeState.CANCELLED.name(), utc(at), runId, NodeState.PENDING.name())
                .update();
    }

    void markGhosts(String runId, List<String> nodeIds, Instant at) {
        batch.batchUpdate("""
                update run_nodes set state = ?, updated_at = ?
                where run_id = ? and node_id = ? and state in (?, ?)""", nodeIds, Sql.BATCH, (ps, nodeId) -> {
            ps.setString(1, NodeState.GHOST.name());
            ps.setObject(2, utc(at));
            ps.setString(3, runId);
            ps.setString(4, nodeId);
            ps.setString(5, NodeState.PENDING.name());
            ps.setString(6, NodeState.RUNNING.name());
        });
    }

    boolean contains(String runId, String nodeId) {
        return jdbc.sql("select count(*) from run_nodes where run_id = ? and node_id = ?")
                        .params(runId, nodeId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    Optional<NodeRecord> find(String runId, String nodeId) {
        return jdbc.sql("select * from run_nodes where run_id = ? and node_id = ?")
                .params(runId, nodeId)
                .query(RunNodesTable::node)
                .optional();
    }

    /** The run's nodes in the order they were created, all or those in one state. */
    List<NodeRecord> ofRun(String runId, Optional<NodeState> state) {
        String sql = "select * from run_nodes where run_id = ?" + (state.isPresent() ? " and state = ?" : "")
                + " order by position, node_id";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param(runId);
        if (state.isPresent()) {
            query = query.param(state.get().name());
        }
        return query.query(RunNodesTable::node).list();
    }

    /** The run's nodes with their states and whether they were released, without their targets. */
    List<NodeTally> tallies(String runId) {
        return jdbc.sql("select node_id, state, dispatched_attempt_id from run_nodes where run_id = ?")
                .param(runId)
                .query((rs, row) -> new NodeTally(
                        rs.getString("node_id"),
                        NodeState.valueOf(rs.getString("state")),
                        rs.getString("dispatched_attempt_id") != null))
                .list();
    }

    Map<NodeState, Integer> states(String runId) {
        Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
        jdbc.sql("select state, count(*) as n from run_nodes where run_id = ? group by state")
                .param(runId)
                .query((rs, row) -> counts.put(NodeState.valueOf(rs.getString("state")), rs.getInt("n")))
                .list();
        return counts;
    }

    int countOfRunningRuns(NodeState state) {
        return jdbc.sql("""
                select count(*) from run_nodes n join runs r on r.run_id = n.run_id
                where r.state = ? and n.state = ?""")
                .params(RunState.RUNNING.name(), state.name())
                .query(Integer.class)
                .single();
    }

    /** The node with its run and the candidate attempt's result, read together. */
    Optional<Standing> standing(String runId, String nodeId, String attemptId) {
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
                outcome == null ? null : Outcome.valueOf(outcome),
                rs.getInt("finished_attempts"),
                rs.getInt("attempt"),
                rs.getInt("resurrections"),
                rs.getString("dead_letter_reason"));
    }
}
