package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.InstallMessage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code dispatched_attempts}: every attempt this coordinator released, first or resurrected. An event for an attempt
 * not in it was not reported by a worker running a message of ours, and is not recorded.
 *
 * <p>The attempts this process released and not yet saw finish are also kept in memory: the gate asks about every
 * event, and the usual one is answered without a query. The table stays the authority for the rest (a resumed run,
 * another replica's release, a late redelivery).
 */
final class DispatchedAttemptsTable {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final Set<String> releasedHere = ConcurrentHashMap.newKeySet();

    DispatchedAttemptsTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void add(String runId, List<InstallMessage> messages, Instant at) {
        batch.batchUpdate("""
                insert into dispatched_attempts (attempt_id, run_id, node_id, attempt, released_at)
                values (?, ?, ?, ?, ?)
                on conflict do nothing""", messages, 500, (ps, message) -> {
            ps.setString(1, message.attemptId());
            ps.setString(2, runId);
            ps.setString(3, message.node().id());
            ps.setInt(4, message.attempt());
            ps.setObject(5, utc(at));
        });
        messages.forEach(message -> releasedHere.add(key(runId, message.node().id(), message.attemptId())));
    }

    /** The attempt has its outcome: a later event about it is rare enough to be looked up. */
    void finished(String runId, String nodeId, String attemptId) {
        releasedHere.remove(key(runId, nodeId, attemptId));
    }

    boolean contains(String runId, String nodeId, String attemptId) {
        return releasedHere.contains(key(runId, nodeId, attemptId))
                || jdbc.sql(
                                        "select count(*) from dispatched_attempts where attempt_id = ? and run_id = ? and node_id = ?")
                                .params(attemptId, runId, nodeId)
                                .query(Integer.class)
                                .single()
                        > 0;
    }

    private static String key(String runId, String nodeId, String attemptId) {
        return runId + '\n' + nodeId + '\n' + attemptId;
    }
}
