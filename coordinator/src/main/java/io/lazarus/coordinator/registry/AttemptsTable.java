package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.json;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code attempts}: each attempt of a node, when it started and finished, and the result its worker reported. */
final class AttemptsTable {

    private static final String INSERT = """
            insert into attempts (attempt_id, run_id, node_id, attempt, worker, redelivered, started_at)
            values (?, ?, ?, ?, ?, ?, ?)
            on conflict do nothing""";
    private static final String FINISH = """
            update attempts set finished_at = ?, outcome = ?, result = ?, worker = ?, redelivered = ?, finished_by = ?
            where attempt_id = ? and finished_at is null""";
    private static final String RESULTS = """
            select attempt_id, result from attempts
            where run_id = :run and attempt_id in (:ids) and result is not null""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    AttemptsTable(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Which of these STARTED events started its attempt: its row written, or the start added to the row its
     * FINISHED wrote first; a second start of an attempt (a copy, another execution) is not one. One lookup and a
     * write a table at a time; the caller holds the runs' rows, so no other recording writes these attempts between
     * the lookup and the writes.
     */
    boolean[] started(List<AttemptEvent> events) {
        Map<String, Boolean> startedById = startedById(events);
        List<AttemptEvent> inserting = new ArrayList<>();
        List<AttemptEvent> starting = new ArrayList<>();
        boolean[] startedHere = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            AttemptEvent event = events.get(i);
            Boolean started = startedById.put(event.attemptId(), true);
            if (started == null) {
                inserting.add(event);
            } else if (!started) {
                starting.add(event);
            }
            startedHere[i] = started == null || !started;
        }
        Sql.batch(batch, INSERT, inserting, (ps, event) -> bind(ps, event, utc(event.at())));
        Sql.batch(batch, """
                update attempts set started_at = ?, worker = coalesce(worker, ?)
                where attempt_id = ? and started_at is null""", starting, (ps, event) -> {
            ps.setObject(1, utc(event.at()));
            ps.setString(2, event.worker());
            ps.setString(3, event.attemptId());
        });
        return startedHere;
    }

    /** Whether each of the events' attempts has a row, and if so whether it has started. */
    private Map<String, Boolean> startedById(List<AttemptEvent> events) {
        Map<String, Boolean> started = new HashMap<>();
        Sql.inParts(
                events.stream().map(AttemptEvent::attemptId).distinct().toList(),
                ids -> jdbc.sql("select attempt_id, started_at from attempts where attempt_id in (:ids)")
                        .param("ids", ids)
                        .query(rs -> {
                            started.put(rs.getString("attempt_id"), rs.getObject("started_at") != null);
                        }));
        return started;
    }

    /**
     * Which of these FINISHED events closed its attempt: the usual one closes the row its STARTED wrote, all of
     * them in one batched update; one without a row (its STARTED lost, or not here yet) writes it and closes it.
     */
    boolean[] finished(List<AttemptEvent> events) {
        if (events.isEmpty()) {
            return new boolean[0];
        }
        int[][] closedByPart = batch.batchUpdate(FINISH, events, Sql.BATCH, (ps, event) -> {
            AttemptResult result = event.result();
            ps.setObject(1, utc(event.at()));
            ps.setString(2, result.outcome().name());
            ps.setString(3, json(result));
            ps.setString(4, event.worker());
            ps.setBoolean(5, event.redelivered());
            ps.setString(6, event.executionId());
            ps.setString(7, event.attemptId());
        });
        int[] closed = Arrays.stream(closedByPart).flatMapToInt(Arrays::stream).toArray();
        boolean[] closing = new boolean[events.size()];
        for (int i = 0; i < events.size(); i++) {
            AttemptEvent event = events.get(i);
            closing[i] = closed[i] > 0 || (insert(event) && finish(event) > 0);
        }
        return closing;
    }

    /** Concurrent copies of one event (the follower's, the service's ingest) insert once; neither aborts. */
    private boolean insert(AttemptEvent event) {
        return batch.update(INSERT, ps -> bind(ps, event, null)) > 0;
    }

    private static void bind(PreparedStatement ps, AttemptEvent event, OffsetDateTime startedAt) throws SQLException {
        ps.setString(1, event.attemptId());
        ps.setString(2, event.runId());
        ps.setString(3, event.nodeId());
        ps.setInt(4, event.attempt());
        ps.setString(5, event.worker());
        ps.setBoolean(6, event.redelivered());
        ps.setObject(7, startedAt);
    }

    /** Closes the attempt with its result and the execution that ended it; 0 if it has no row or was closed already. */
    private int finish(AttemptEvent event) {
        AttemptResult result = event.result();
        return jdbc.sql(FINISH)
                .params(
                        utc(event.at()),
                        result.outcome().name(),
                        json(result),
                        event.worker(),
                        event.redelivered(),
                        event.executionId(),
                        event.attemptId())
                .update();
    }

    List<AttemptRecord> ofNode(String runId, String nodeId) {
        return jdbc.sql("select * from attempts where run_id = ? and node_id = ? order by attempt, started_at")
                .params(runId, nodeId)
                .query(AttemptsTable::attempt)
                .list();
    }

    Map<String, Set<String>> finishedIds(String runId) {
        Map<String, Set<String>> ids = new HashMap<>();
        jdbc.sql("select node_id, attempt_id from attempts where run_id = ? and finished_at is not null")
                .param(runId)
                .query((rs, row) -> ids.computeIfAbsent(rs.getString("node_id"), n -> new HashSet<>())
                        .add(rs.getString("attempt_id")))
                .list();
        return ids;
    }

    /**
     * The results of those of these attempts of a run that finished, by attempt id. Read in one pass over the run's
     * finished attempts (cheaper than asking for each id, as a run wants most of them), then parsed on every core: at
     * the end of a run this stands between the last outcome and the report.
     */
    Map<String, AttemptResult> results(String runId, Collection<String> attemptIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(attemptIds));
        Map<String, String> stored = new HashMap<>();
        Sql.inParts(
                ids,
                part -> jdbc.sql(RESULTS).param("run", runId).param("ids", part).query(rs -> {
                    stored.put(rs.getString("attempt_id"), rs.getString("result"));
                }));
        return stored.entrySet().parallelStream()
                .collect(Collectors.toConcurrentMap(
                        Map.Entry::getKey, e -> Contracts.mapper().readValue(e.getValue(), AttemptResult.class)));
    }

    /**
     * The outcome of each node's last finished attempt, as {@link #lastFinished} has it, from the outcome column alone:
     * no result is read or parsed.
     */
    Map<String, Outcome> lastFinishedOutcomes(String runId) {
        Map<String, Outcome> last = new HashMap<>();
        jdbc.sql(
                        "select node_id, outcome from attempts where run_id = ? and finished_at is not null order by finished_at")
                .param(runId)
                .query(rs -> {
                    last.put(rs.getString("node_id"), Outcome.valueOf(rs.getString("outcome")));
                });
        return last;
    }

    Map<String, AttemptRecord> lastStarted(String runId) {
        return lastBy(runId, "started_at");
    }

    Map<String, AttemptRecord> lastFinished(String runId) {
        return lastBy(runId, "finished_at");
    }

    /** {@code column} is named by this class, never taken from input. */
    private Map<String, AttemptRecord> lastBy(String runId, String column) {
        Map<String, AttemptRecord> last = new HashMap<>();
        jdbc.sql("select * from attempts where run_id = ? and " + column + " is not null order by " + column)
                .param(runId)
                .query(AttemptsTable::attempt)
                .list()
                .forEach(a -> last.put(a.nodeId(), a));
        return last;
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
}
