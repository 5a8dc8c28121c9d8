package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.InstallMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.util.List;

import static io.lazarus.coordinator.registry.Sql.utc;

/**
 * {@code dispatched_attempts}: every attempt this coordinator released, first or resurrected. An event for an attempt
 * not in it was not reported by a worker running a message of ours, and is not recorded.
 */
final class DispatchedAttemptsTable {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    DispatchedAttemptsTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void add(String runId, List<InstallMessage> messages, Instant at) {
        batch.batchUpdate("""
                insert into dispatched_attempts (attempt_id, run_id, node_id, attempt, released_at)
                select cast(? as varchar(320)), cast(? as varchar(64)), cast(? as varchar(128)), cast(? as integer),
                       cast(? as timestamp with time zone)
                where not exists (select 1 from dispatched_attempts where attempt_id = ?)""", messages, 500,
                (ps, message) -> {
                    ps.setString(1, message.attemptId());
                    ps.setString(2, runId);
                    ps.setString(3, message.node().id());
                    ps.setInt(4, message.attempt());
                    ps.setObject(5, utc(at));
                    ps.setString(6, message.attemptId());
                });
    }

    boolean contains(String runId, String nodeId, String attemptId) {
        return jdbc.sql("select count(*) from dispatched_attempts where attempt_id = ? and run_id = ? and node_id = ?")
                .params(attemptId, runId, nodeId).query(Integer.class).single() > 0;
    }
}
