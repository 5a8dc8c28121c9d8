package io.lazarus.coordinator.registry;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The runs of the registry, newest first: what {@code GET /api/runs} lists. */
@Component
public class RunListing {

    /** One run's line in the list. */
    public record Listed(
            String runId,
            String state,
            Instant createdAt,
            Instant deadline,
            Instant finishedAt,
            String script,
            int total,
            String startedBy) {}

    private final JdbcClient jdbc;

    RunListing(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Listed> newest(int limit) {
        return jdbc.sql("select run_id, state, created_at, deadline, finished_at, script_name, total, started_by"
                        + " from runs order by created_at desc, run_id desc limit ?")
                .param(limit)
                .query((rs, row) -> new Listed(
                        rs.getString("run_id"),
                        rs.getString("state"),
                        instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("deadline")),
                        instant(rs.getTimestamp("finished_at")),
                        rs.getString("script_name"),
                        rs.getInt("total"),
                        rs.getString("started_by")))
                .list();
    }

    /** The name of the token that started the run, when a token did. */
    public Optional<String> startedBy(String runId) {
        return jdbc.sql("select started_by from runs where run_id = ?")
                .param(runId)
                .query(String.class)
                .optional();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
