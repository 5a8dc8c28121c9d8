package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code executions}: every handling of an attempt by a worker, started or finished, keyed by its execution id. */
final class ExecutionsTable {

    private final JdbcClient jdbc;

    ExecutionsTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the event's execution; an event that names none (a DEAD_LETTERED one, an older worker's) is not one. */
    void record(AttemptEvent event) {
        if (event.executionId() == null
                || event.type() == EventType.DEAD_LETTERED
                || event.type() == EventType.OUTPUT) {
            return;
        }
        boolean started = event.type() == EventType.STARTED;
        // the usual FINISHED closes the row its STARTED opened: one statement
        if (!started && finish(event) > 0) {
            return;
        }
        jdbc.sql("""
                insert into executions (execution_id, attempt_id, run_id, node_id, worker, redelivered, started_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing""")
                .params(
                        event.executionId(),
                        event.attemptId(),
                        event.runId(),
                        event.nodeId(),
                        event.worker(),
                        event.redelivered(),
                        started ? utc(event.at()) : null)
                .update();
        if (!started) {
            finish(event);
        }
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
        jdbc.sql("select * from executions where run_id = ? order by coalesce(started_at, finished_at)")
                .param(runId)
                .query(ExecutionsTable::execution)
                .list()
                .forEach(e -> byNode.computeIfAbsent(e.nodeId(), n -> new java.util.ArrayList<>())
                        .add(e));
        return byNode;
    }

    /** A node's executions, oldest first. */
    List<ExecutionRecord> ofNode(String runId, String nodeId) {
        return jdbc.sql("select * from executions where run_id = ? and node_id = ?"
                        + " order by coalesce(started_at, finished_at)")
                .params(runId, nodeId)
                .query(ExecutionsTable::execution)
                .list();
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
