package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.Sql.utc;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.Outcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code run_commands} and {@code command_silences}, and the registry's history read across runs: what a command's
 * successful runs were silent for, and which nodes failed in passing lately.
 */
final class HistoryTables {

    /** The outcomes that say a node had a bad moment rather than a bad script: those a resurrection may cure. */
    static final List<Outcome> TRANSIENT = Arrays.stream(Outcome.values())
            .filter(Outcome::resurrectableByDefault)
            .toList();

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    HistoryTables(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    void commands(RunRecord run) {
        List<String> commands = run.commands();
        for (int index = 0; index < commands.size(); index++) {
            jdbc.sql("""
                    insert into run_commands (run_id, command_index, script_name, command_sha256)
                    values (?, ?, ?, ?)""")
                    .params(run.runId(), index, run.scriptName(), InstallScript.digest(List.of(commands.get(index))))
                    .update();
        }
    }

    /**
     * Each command that exited 0 of these attempts, closed by these FINISHED events, with its longest silence; a
     * redelivered event adds nothing.
     */
    void silences(List<AttemptEvent> finished) {
        record Silence(AttemptEvent event, CommandResult command) {}
        List<Silence> silences = finished.stream()
                .flatMap(event -> event.result().commands().stream()
                        .filter(command -> command.exitStatus() != null && command.exitStatus() == 0)
                        .map(command -> new Silence(event, command)))
                .toList();
        Sql.batch(batch, """
                insert into command_silences (attempt_id, command_index, run_id, longest_silence_ms, recorded_at)
                values (?, ?, ?, ?, ?)
                on conflict do nothing""", silences, (ps, silence) -> {
            ps.setString(1, silence.event().attemptId());
            ps.setInt(2, silence.command().index());
            ps.setString(3, silence.event().runId());
            ps.setLong(4, silence.command().longestSilenceMs());
            ps.setObject(5, utc(silence.event().at()));
        });
    }

    /** The longest silences of the command's successful runs since then, newest first, at most {@code limit}. */
    List<Long> silences(String scriptName, String commandSha256, Instant since, int limit) {
        return jdbc.sql("""
                select s.longest_silence_ms from command_silences s
                join run_commands c on c.run_id = s.run_id and c.command_index = s.command_index
                where c.script_name = ? and c.command_sha256 = ? and s.recorded_at >= ?
                order by s.recorded_at desc
                limit ?""")
                .params(scriptName, commandSha256, utc(since), limit)
                .query(Long.class)
                .list();
    }

    /**
     * How often each node failed in passing since then, across runs: attempts that ended with a transient outcome,
     * and dead letters (a resurrection candidate, whatever its outcome).
     */
    Map<String, Integer> transientFailures(Instant since) {
        String outcomes = TRANSIENT.stream().map(o -> "'" + o.name() + "'").collect(Collectors.joining(", "));
        Map<String, Integer> failures = new HashMap<>();
        jdbc.sql("select node_id, count(*) as n from attempts where finished_at >= ? and outcome in (" + outcomes
                        + ") group by node_id")
                .params(utc(since))
                .query((rs, row) -> failures.merge(rs.getString("node_id"), rs.getInt("n"), Integer::sum))
                .list();
        jdbc.sql("select node_id, count(*) as n from dead_letters where dead_lettered_at >= ? group by node_id")
                .params(utc(since))
                .query((rs, row) -> failures.merge(rs.getString("node_id"), rs.getInt("n"), Integer::sum))
                .list();
        return failures;
    }
}
