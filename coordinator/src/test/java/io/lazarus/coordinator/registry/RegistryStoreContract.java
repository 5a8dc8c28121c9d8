package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every registry database must do, run against each of them (H2 and PostgreSQL): the schema migrates, a run
 * keeps its inputs, the manifest is recorded, and recording events is idempotent and never moves a node backwards.
 */
abstract class RegistryStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final InstallScript script = InstallScript.of("install.sh", List.of("apt-get update", "apt-get install -y tomcat10"));
    private final NodeTarget web1 = new NodeTarget("web-01", "10.0.0.5", 22, "deploy", null, Map.of("instanceId", "i-0abc"));
    private final NodeTarget web2 = new NodeTarget("web-02", "10.0.0.6", 2222, "deploy");
    private RegistryStore store;

    /** A JDBC URL of an empty database (or schema) of the kind under test. */
    abstract String freshDatabase();

    @BeforeEach
    void migrate() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(freshDatabase());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new RegistryStore(JdbcClient.create(dataSource), new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Test
    void aRunKeepsItsInputsAndStartsWithEveryNodePending() {
        store.createRun(run("run-1"), List.of(web1, web2));

        RunRecord run = store.run("run-1").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.RUNNING);
        assertThat(run.commands()).isEqualTo(script.commands());
        assertThat(run.scriptSha256()).isEqualTo(script.sha256());
        assertThat(run.inventory()).isEqualTo("deploy@10.0.0.5 name=web-01\n");
        assertThat(run.options()).isEqualTo("{\"deadline\":\"PT1H\"}");
        assertThat(run.createdAt()).isEqualTo(T0);
        assertThat(run.total()).isEqualTo(2);
        assertThat(store.nodes("run-1", Optional.empty())).extracting(NodeRecord::nodeId, NodeRecord::state, NodeRecord::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web-01", NodeState.PENDING, 22),
                        org.assertj.core.groups.Tuple.tuple("web-02", NodeState.PENDING, 2222));
        assertThat(store.nodes("run-1", Optional.empty()).getFirst().facts()).isEqualTo(Map.of("instanceId", "i-0abc"));
        assertThat(store.run("no-such-run")).isEmpty();
    }

    @Test
    void theManifestIsWhatTheBrokerConfirmed() {
        store.createRun(run("run-2"), List.of(web1, web2));
        InstallMessage confirmed = message("run-2", web1);

        store.recordDispatched("run-2", List.of(confirmed), T0.plusSeconds(1));

        assertThat(store.nodes("run-2", Optional.empty())).extracting(NodeRecord::dispatchedAttemptId)
                .containsExactly(confirmed.attemptId(), null);
    }

    @Test
    void eventsAreRecordedOnceAndANodeNeverMovesBackwards() {
        store.createRun(run("run-3"), List.of(web1, web2));
        InstallMessage install = message("run-3", web1);
        AttemptEvent started = AttemptEvent.started(install, "worker-a", false);
        AttemptEvent finished = AttemptEvent.finished(install, "worker-a", false,
                AttemptResult.without(Outcome.SUCCEEDED, ""));

        assertThat(store.record(started)).isTrue();
        assertThat(store.nodes("run-3", Optional.of(NodeState.RUNNING))).extracting(NodeRecord::nodeId).containsExactly("web-01");
        assertThat(store.record(finished)).isTrue();
        assertThat(store.record(finished)).as("a redelivered event").isFalse();
        assertThat(store.record(started)).as("a late, duplicate STARTED").isFalse();

        NodeRecord node = store.nodes("run-3", Optional.of(NodeState.SUCCEEDED)).getFirst();
        assertThat(node.finishedAttempts()).isEqualTo(1);
        assertThat(node.lastOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(store.nodeStates("run-3")).isEqualTo(Map.of(NodeState.SUCCEEDED, 1, NodeState.PENDING, 1));
    }

    @Test
    void aFinishedEventBeforeItsStartedEventStillEndsTheNode() {
        store.createRun(run("run-4"), List.of(web1));
        InstallMessage install = message("run-4", web1);
        AttemptResult failed = new AttemptResult(Outcome.COMMAND_FAILED, 100, null, "command 2/2 exited 100", 1500,
                List.of(), List.of(), "Reading package lists...", "E: Unable to locate package tomcat9\n", 120, 3L, 1,
                "SHA256:abc", Watchdog.DEFAULTS);

        assertThat(store.record(AttemptEvent.finished(install, "worker-b", true, failed))).isTrue();
        assertThat(store.record(AttemptEvent.started(install, "worker-b", true))).isTrue();

        assertThat(store.nodes("run-4", Optional.empty())).singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NodeState.FAILED));
        AttemptRecord attempt = store.attempts("run-4", "web-01").getFirst();
        assertThat(attempt.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(attempt.redelivered()).isTrue();
        assertThat(attempt.startedAt()).isNotNull();
        assertThat(attempt.result()).isEqualTo(failed);
        assertThat(store.lastFinishedAttempts("run-4")).containsOnlyKeys("web-01");
    }

    @Test
    void eventsOfAnotherRegistrysRunsAreIgnored() {
        store.createRun(run("run-5"), List.of(web1));

        assertThat(store.record(AttemptEvent.started(message("someone-elses", web1), "worker-a", false))).isFalse();
        assertThat(store.record(AttemptEvent.started(message("run-5", web2), "worker-a", false))).isFalse();
        assertThat(store.attempts("run-5", "web-02")).isEmpty();
    }

    @Test
    void aFinishedRunStaysFinished() {
        store.createRun(run("run-6"), List.of(web1));

        store.finishRun("run-6", RunState.FINISHED, T0.plusSeconds(60));
        store.finishRun("run-6", RunState.CANCELLED, T0.plusSeconds(90));

        RunRecord run = store.run("run-6").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FINISHED);
        assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(60));
    }

    private RunRecord run(String runId) {
        return new RunRecord(runId, T0, T0.plus(1, ChronoUnit.HOURS), RunState.RUNNING, script.name(), script.sha256(),
                script.commands(), "deploy@10.0.0.5 name=web-01\n", "{\"deadline\":\"PT1H\"}", 0, null);
    }

    private InstallMessage message(String runId, NodeTarget node) {
        return InstallMessage.firstAttempt(runId, node, script, null, T0.plus(1, ChronoUnit.HOURS));
    }
}
