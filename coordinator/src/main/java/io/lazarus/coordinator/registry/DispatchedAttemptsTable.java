package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.InstallMessage;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every attempt this coordinator released, first or resurrected: a node's current one is its {@code run_nodes} row's
 * {@code dispatched_attempt_id}, and one a resurrection superseded moves to {@code dispatched_attempts} (which holds
 * every released attempt of registries older than that). An event for an attempt in neither was not reported by a
 * worker running a message of ours, and is not recorded.
 *
 * <p>The attempts this process released and not yet saw finish are also kept in memory, and the last {@value
 * #FINISHED_KEPT} it saw finish: the gate asks about every event, and the usual one (a service's second copy of an
 * outcome among them) is answered without a query. The table stays the authority for the rest (a resumed run, another
 * replica's release, a late redelivery).
 */
final class DispatchedAttemptsTable {

    static final int FINISHED_KEPT = 4096;

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final Set<String> releasedHere = ConcurrentHashMap.newKeySet();
    private final Set<String> finishedHere =
            Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > FINISHED_KEPT;
                }
            }));

    DispatchedAttemptsTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** Released here, and recorded as released apart from the nodes' current attempts. */
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
        released(runId, messages);
    }

    /** Released here, as the nodes' current attempts (recorded in {@code run_nodes}). */
    void released(String runId, List<InstallMessage> messages) {
        messages.forEach(message -> releasedHere.add(key(runId, message.node().id(), message.attemptId())));
    }

    /**
     * The node's current attempt is about to be superseded: kept here, so that its late events are still known as
     * ours. Only an attempt the registry holds as the node's current one moves: an id a dead letter names is a
     * stranger's word until then.
     */
    void supersede(String runId, String nodeId, String attemptId) {
        jdbc.sql("""
                        insert into dispatched_attempts (attempt_id, run_id, node_id, attempt, released_at)
                        select dispatched_attempt_id, run_id, node_id, attempt, updated_at from run_nodes
                        where run_id = ? and node_id = ? and dispatched_attempt_id = ?
                        on conflict do nothing""").params(runId, nodeId, attemptId).update();
    }

    /** The attempt has its outcome: a later event about it is rare once its last finished peers are forgotten. */
    void finished(String runId, String nodeId, String attemptId) {
        String key = key(runId, nodeId, attemptId);
        if (releasedHere.remove(key)) {
            finishedHere.add(key);
        }
    }

    boolean contains(String runId, String nodeId, String attemptId) {
        String key = key(runId, nodeId, attemptId);
        return releasedHere.contains(key)
                || finishedHere.contains(key)
                || jdbc.sql("""
                                        select (select count(*) from run_nodes
                                                where run_id = ? and node_id = ? and dispatched_attempt_id = ?)
                                             + (select count(*) from dispatched_attempts
                                                where attempt_id = ? and run_id = ? and node_id = ?)""")
                                .params(runId, nodeId, attemptId, attemptId, runId, nodeId)
                                .query(Integer.class)
                                .single()
                        > 0;
    }

    private static String key(String runId, String nodeId, String attemptId) {
        return runId + '\n' + nodeId + '\n' + attemptId;
    }
}
