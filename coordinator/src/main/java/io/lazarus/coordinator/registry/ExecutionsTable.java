package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code executions}: every handling of an attempt by a worker, started or finished, keyed by its execution id. The
 * execution that closed its attempt has its end in the attempt's row ({@code finished_by}): the usual execution is
 * one row written when it starts, not a row opened and then updated (each update rewrites every index of the table).
 */
final class ExecutionsTable {

    private static final String SELECT = """
            select e.execution_id, e.attempt_id, e.run_id, e.node_id, e.worker, e.redelivered, e.started_at,
                   case when e.finished_at is null and a.finished_by = e.execution_id
                        then a.finished_at else e.finished_at end as finished_at,
                   case when e.finished_at is null and a.finished_by = e.execution_id
                        then a.outcome else e.outcome end as outcome
            from executions e left join attempts a on a.attempt_id = e.attempt_id
            """;

    /** Oldest first; an execution that never started (a refusal) by its end. */
    private static final Comparator<ExecutionRecord> OLDEST_FIRST = Comparator.comparing(
            (ExecutionRecord e) -> e.startedAt() != null ? e.startedAt() : e.finishedAt(),
            Comparator.nullsLast(Comparator.naturalOrder()));

    private static final String INSERT = """
            insert into executions (execution_id, attempt_id, run_id, node_id, worker, redelivered, started_at)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ExecutionsTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Records the executions of these STARTED events at once; an event that names none (an older worker's) has none. */
    void started(List<AttemptEvent> events) {
        insert(named(events), true);
    }

    /**
     * Records the executions of these FINISHED events, each of which closed its attempt: the attempt's row holds the
     * execution's end, and a row is written only for an execution never seen starting. One lookup for them all where
     * the executions are known (the usual case): a conflicting insert would cost a rollback in H2.
     */
    void closedTheirAttempts(List<AttemptEvent> events) {
        List<AttemptEvent> named = named(events);
        Set<String> known = known(named.stream().map(AttemptEvent::executionId).toList());
        insert(
                named.stream()
                        .filter(event -> !known.contains(event.executionId()))
                        .toList(),
                false);
    }

    /**
     * Records the end of a FINISHED event's execution that did not close its attempt (another execution closed it
     * first, or this is a copy): its end goes into its own row.
     */
    void finishedWithoutClosing(AttemptEvent event) {
        if (event.executionId() != null && finish(event) == 0) {
            if (known(List.of(event.executionId())).isEmpty()) {
                insert(List.of(event), false);
            }
            finish(event);
        }
    }

    private static List<AttemptEvent> named(List<AttemptEvent> events) {
        return events.stream().filter(event -> event.executionId() != null).toList();
    }

    private Set<String> known(List<String> executionIds) {
        Set<String> known = new HashSet<>();
        Sql.inParts(
                executionIds,
                part -> known.addAll(jdbc.sql("select execution_id from executions where execution_id in (:ids)")
                        .param("ids", part)
                        .query(String.class)
                        .list()));
        return known;
    }

    private void insert(List<AttemptEvent> events, boolean started) {
        Sql.batch(batch, INSERT, events, (ps, event) -> {
            ps.setString(1, event.executionId());
            ps.setString(2, event.attemptId());
            ps.setString(3, event.runId());
            ps.setString(4, event.nodeId());
            ps.setString(5, event.worker());
            ps.setBoolean(6, event.redelivered());
            ps.setObject(7, started ? utc(event.at()) : null);
        });
    }

    private int finish(AttemptEvent event) {
        return jdbc.sql("""
                update executions set finished_at = ?, outcome = ?
                where execution_id = ? and attempt_id = ? and finished_at is null""")
                .params(utc(event.at()), event.result().outcome().name(), event.executionId(), event.attemptId())
                .update();
    }

    /** A run's executions by node id, oldest first. */
    Map<String, List<ExecutionRecord>> ofRun(String runId) {
        Map<String, List<ExecutionRecord>> byNode = new LinkedHashMap<>();
        jdbc.sql(SELECT + "where e.run_id = ?").param(runId).query(ExecutionsTable::execution).list().stream()
                .sorted(OLDEST_FIRST)
                .forEach(e -> byNode.computeIfAbsent(e.nodeId(), n -> new ArrayList<>())
                        .add(e));
        return byNode;
    }

    /** A node's executions, oldest first. */
    List<ExecutionRecord> ofNode(String runId, String nodeId) {
        return jdbc
                .sql(SELECT + "where e.run_id = ? and e.node_id = ?")
                .params(runId, nodeId)
                .query(ExecutionsTable::execution)
                .list()
                .stream()
                .sorted(OLDEST_FIRST)
                .toList();
    }

    private static ExecutionRecord execution(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("outcome");
        return new ExecutionRecord(
                rs.getString("execution_id"),
                rs.getString("attempt_id"),
                rs.getString("run_id"),
                rs.getString("node_id"),
                rs.getString("worker"),
                rs.getBoolean("redelivered"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                outcome == null ? null : Outcome.valueOf(outcome));
    }
}
