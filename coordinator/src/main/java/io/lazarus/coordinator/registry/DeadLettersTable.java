package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.DeadLetter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code dead_letters}: every dead-lettered attempt with the broker's reason and the gatekeeper's verdict on it. Its
 * row is created by whichever comes first: the dead letter's record, or the verdict.
 */
final class DeadLettersTable {

    private final JdbcClient jdbc;

    DeadLettersTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the broker's reason; returns whether anything was new. */
    boolean record(String runId, String nodeId, String attemptId, int attempt, DeadLetter dead) {
        boolean inserted = upsert(runId, nodeId, attemptId, attempt, dead.resurrections());
        int updated = jdbc.sql("""
                update dead_letters set reason = ?, queue = ?, dead_lettered_at = ?
                where attempt_id = ? and reason is null""")
                .params(dead.reason(), dead.queue(), utc(dead.at()), attemptId)
                .update();
        return inserted || updated > 0;
    }

    void decide(
            String runId,
            String nodeId,
            String attemptId,
            int attempt,
            int resurrections,
            String verdict,
            String detail,
            Instant at) {
        upsert(runId, nodeId, attemptId, attempt, resurrections);
        jdbc.sql("update dead_letters set verdict = ?, verdict_detail = ?, decided_at = ? where attempt_id = ?")
                .params(verdict, detail.length() > 1000 ? detail.substring(0, 1000) : detail, utc(at), attemptId)
                .update();
    }

    private boolean upsert(String runId, String nodeId, String attemptId, int attempt, int resurrections) {
        return jdbc.sql("""
                insert into dead_letters (attempt_id, run_id, node_id, attempt, resurrections)
                values (?, ?, ?, ?, ?)
                on conflict do nothing""")
                        .params(attemptId, runId, nodeId, attempt, resurrections)
                        .update()
                > 0;
    }

    /** Nothing for a node whose last dead letter was resurrected or not judged yet. */
    Map<String, String> lastVerdicts(String runId) {
        Map<String, String> verdicts = new HashMap<>();
        ofRun(runId).forEach(d -> {
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

    List<DeadLetterRecord> ofRun(String runId) {
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
}
