package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.instant;
import static io.lazarus.coordinator.registry.Sql.json;
import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.Contracts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;

/** {@code runs}: each run with its inputs and where it stands; its lease columns are {@link RunLeasesTable}'s. */
final class RunsTable {

    private static final TypeReference<List<String>> COMMANDS = new TypeReference<>() {};

    private final JdbcClient jdbc;

    RunsTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the runs' rows for this transaction, in one order, as a lease's fence does: two recordings of one run's
     * events at once (two processes on one registry) take turns instead of each holding rows the other needs next.
     */
    void lock(List<String> runIds) {
        Sql.inParts(
                runIds.stream().sorted().distinct().toList(),
                ids -> jdbc.sql("select run_id from runs where run_id in (:ids) order by run_id for update")
                        .param("ids", ids)
                        .query(String.class)
                        .list());
    }

    void insert(RunRecord run, int total) {
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
                        total)
                .update();
    }

    /** The first reason stays. */
    void stopRelease(String runId, String why) {
        jdbc.sql("update runs set release_stopped = coalesce(release_stopped, ?) where run_id = ?")
                .params(why, runId)
                .update();
    }

    /** A finished run becomes RUNNING again, waiting for a follower, its deadline at least {@code deadline}. */
    void reopen(String runId, Instant deadline) {
        jdbc.sql("""
                update runs set state = ?, finished_at = null, reopened = true,
                       deadline = case when deadline < ? then ? else deadline end
                where run_id = ? and state = ?""")
                .params(RunState.RUNNING.name(), utc(deadline), utc(deadline), runId, RunState.FINISHED.name())
                .update();
    }

    /** A cancelled run stays CANCELLED. */
    void finish(String runId, RunState state, Instant at) {
        jdbc.sql("""
                update runs set state = case when state = ? then ? else state end, finished_at = ?
                where run_id = ? and finished_at is null""")
                .params(RunState.RUNNING.name(), state.name(), utc(at), runId)
                .update();
    }

    void startedBy(String runId, String tokenName) {
        jdbc.sql("update runs set started_by = ? where run_id = ?")
                .params(tokenName, runId)
                .update();
    }

    boolean requestCancel(String runId) {
        return jdbc.sql("update runs set state = ? where run_id = ? and state = ?")
                        .params(RunState.CANCELLED.name(), runId, RunState.RUNNING.name())
                        .update()
                > 0;
    }

    boolean cancelRequested(String runId) {
        return jdbc.sql("select count(*) from runs where run_id = ? and state = ?")
                        .params(runId, RunState.CANCELLED.name())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    boolean finished(String runId) {
        return jdbc.sql("select count(*) from runs where run_id = ? and finished_at is not null")
                        .param(runId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Each reopened run is returned to one caller only. */
    List<String> claimReopened() {
        return jdbc.sql("select run_id from runs where reopened = true").query(String.class).list().stream()
                .filter(runId -> jdbc.sql("update runs set reopened = false where run_id = ? and reopened = true")
                                .param(runId)
                                .update()
                        > 0)
                .toList();
    }

    void takenUp(String runId) {
        jdbc.sql("update runs set reopened = false where run_id = ?")
                .param(runId)
                .update();
    }

    List<String> unfinished() {
        return jdbc.sql("select run_id from runs where finished_at is null order by created_at")
                .query(String.class)
                .list();
    }

    Optional<RunRecord> find(String runId) {
        return jdbc.sql("select * from runs where run_id = ?")
                .param(runId)
                .query(RunsTable::run)
                .optional();
    }

    int count(RunState state) {
        return jdbc.sql("select count(*) from runs where state = ?")
                .param(state.name())
                .query(Integer.class)
                .single();
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
}
