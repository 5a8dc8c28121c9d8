package io.lazarus.coordinator.registry;

import static io.lazarus.coordinator.registry.CommandResults.command;
import static io.lazarus.coordinator.registry.CommandResults.withCommands;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.contract.Watchdog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every registry database must do, run against each of them (H2 and PostgreSQL): the schema migrates, a run
 * keeps its inputs, the manifest is recorded, and recording events is idempotent and never moves a node backwards.
 */
abstract class RegistryStoreContract {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final InstallScript script =
            InstallScript.of("install.sh", List.of("apt-get update", "apt-get install -y tomcat10"));
    private final NodeTarget web1 = new NodeTarget("web-01", "10.0.0.5", 22, "deploy", Map.of("instanceId", "i-0abc"));
    private final NodeTarget web2 = new NodeTarget("web-02", "10.0.0.6", 2222, "deploy");
    private RegistryStore store;
    private DriverManagerDataSource dataSource;

    /** A JDBC URL of an empty database (or schema) of the kind under test. */
    abstract String freshDatabase();

    @BeforeEach
    void migrate() {
        dataSource = new DriverManagerDataSource(freshDatabase());
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        store = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 0);
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
        assertThat(store.nodes("run-1", Optional.empty()))
                .extracting(NodeRecord::nodeId, NodeRecord::state, NodeRecord::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("web-01", NodeState.PENDING, 22),
                        org.assertj.core.groups.Tuple.tuple("web-02", NodeState.PENDING, 2222));
        assertThat(store.nodes("run-1", Optional.empty()).getFirst().facts()).isEqualTo(Map.of("instanceId", "i-0abc"));
        assertThat(store.run("no-such-run")).isEmpty();
    }

    @Test
    void theManifestIsWhatWasReleased() {
        store.createRun(run("run-2"), List.of(web1, web2));
        InstallMessage released = message("run-2", web1);

        store.recordReleasing("run-2", List.of(released), T0.plusSeconds(1));

        assertThat(store.nodes("run-2", Optional.empty()))
                .extracting(NodeRecord::dispatchedAttemptId)
                .containsExactly(released.attemptId(), null);
    }

    @Test
    void eventsAreRecordedOnceAndANodeNeverMovesBackwards() {
        store.createRun(run("run-3"), List.of(web1, web2));
        InstallMessage install = message("run-3", web1);
        AttemptEvent started = AttemptEvent.started(install, "worker-a", false);
        AttemptEvent finished =
                AttemptEvent.finished(install, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""));

        assertThat(store.record(started)).isTrue();
        assertThat(store.nodes("run-3", Optional.of(NodeState.RUNNING)))
                .extracting(NodeRecord::nodeId)
                .containsExactly("web-01");
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
        AttemptResult failed = new AttemptResult(
                Outcome.COMMAND_FAILED,
                100,
                null,
                "command 2/2 exited 100",
                1500,
                List.of(),
                List.of(),
                "Reading package lists...",
                "E: Unable to locate package tomcat9\n",
                120,
                3L,
                1,
                "SHA256:abc",
                HostKeyCheck.NOT_VERIFIED,
                Watchdog.DEFAULTS,
                false,
                0,
                // the registry keeps what was uploaded with the rest of the result
                List.of(new io.lazarus.common.contract.UploadResult("/opt/app/tool", "ab".repeat(32), 42, 7)));

        assertThat(store.record(AttemptEvent.finished(install, "worker-b", true, failed)))
                .isTrue();
        assertThat(store.record(AttemptEvent.started(install, "worker-b", true)))
                .isTrue();

        assertThat(store.nodes("run-4", Optional.empty()))
                .singleElement()
                .satisfies(n -> assertThat(n.state()).isEqualTo(NodeState.FAILED));
        AttemptRecord attempt = store.attempts("run-4", "web-01").getFirst();
        assertThat(attempt.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(attempt.redelivered()).isTrue();
        assertThat(attempt.startedAt()).isNotNull();
        assertThat(attempt.result()).isEqualTo(failed);
        assertThat(store.lastFinishedAttempts("run-4")).containsOnlyKeys("web-01");
    }

    @Test
    void theResultsOfARunsFinishedAttemptsAreReadBackByAttemptId() {
        store.createRun(run("run-r"), List.of(web1, web2));
        InstallMessage done = message("run-r", web1);
        InstallMessage running = message("run-r", web2);
        store.recordReleasing("run-r", List.of(done, running), T0);
        AttemptResult failed = AttemptResult.without(Outcome.COMMAND_FAILED, "exit status 100");
        store.record(AttemptEvent.started(done, "worker-a", false));
        store.record(AttemptEvent.finished(done, "worker-a", false, failed));
        store.record(AttemptEvent.started(running, "worker-a", false));
        List<String> asked = List.of(running.attemptId(), "never-released", done.attemptId());

        assertThat(store.attemptResults("run-r", asked)).containsOnlyKeys(done.attemptId());
        assertThat(store.attemptResults("run-r", asked).get(done.attemptId())).isEqualTo(failed);
        assertThat(store.attemptResults("run-r", List.of(running.attemptId()))).isEmpty();
        assertThat(store.attemptResults("another-run", asked)).isEmpty();
    }

    @Test
    void aLargeRunsResultsAreReadBackWhateverTheNumberAsked() {
        List<NodeTarget> nodes = java.util.stream.IntStream.range(0, 1203)
                .mapToObj(i -> new NodeTarget("node-" + i, "10.1." + (i / 250) + "." + (i % 250 + 1), 22, "deploy"))
                .toList();
        store.createRun(run("run-big"), nodes);
        List<InstallMessage> messages =
                nodes.stream().map(n -> message("run-big", n)).toList();
        store.recordReleasing("run-big", messages, T0);
        List<AttemptEvent> events = new java.util.ArrayList<>();
        for (InstallMessage m : messages) {
            events.add(AttemptEvent.started(m, "worker-a", false));
            events.add(AttemptEvent.finished(
                    m,
                    "worker-a",
                    false,
                    AttemptResult.without(
                            Outcome.COMMAND_FAILED, "exit of " + m.node().id())));
        }
        store.recordAdmitted(events);
        List<String> ids = messages.stream().map(InstallMessage::attemptId).toList();

        Map<String, AttemptResult> results = store.attemptResults("run-big", ids);

        assertThat(results).hasSize(1203);
        assertThat(results.get(messages.get(1202).attemptId()).reason()).isEqualTo("exit of node-1202");
        assertThat(store.attemptResults("run-big", ids.subList(499, 501))).containsOnlyKeys(ids.get(499), ids.get(500));
    }

    @Test
    void anAttemptsOutputIsRecordedOnceInTheOrderItWasSentTheLastChunksInlineInItsOutcome() {
        store.createRun(run("run-o"), List.of(web1));
        InstallMessage released = message("run-o", web1);
        store.recordReleasing("run-o", List.of(released), T0);
        AttemptEvent output = AttemptEvent.output(
                released,
                "worker-a",
                false,
                "execution-1",
                List.of(
                        new OutputChunk(OutputStreamName.STDOUT, 0, 0, "hello \u001b[31mred\n"),
                        new OutputChunk(OutputStreamName.STDERR, 1, 0, "warn\n")));
        AttemptEvent finished = AttemptEvent.finished(
                        released, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1")
                .withOutput(List.of(new OutputChunk(OutputStreamName.STDOUT, 2, 14, "bye\n")));

        store.recordAdmitted(List.of(AttemptEvent.started(released, "worker-a", false, "execution-1"), output));
        store.recordAdmitted(List.of(output, finished)); // redelivered

        assertThat(store.output(released.attemptId(), -1))
                .containsExactly(
                        new OutputRecord(0, OutputStreamName.STDOUT, 0, "hello \u001b[31mred\n"),
                        new OutputRecord(1, OutputStreamName.STDERR, 0, "warn\n"),
                        new OutputRecord(2, OutputStreamName.STDOUT, 14, "bye\n"));
        assertThat(store.output(released.attemptId(), 1))
                .extracting(OutputRecord::seq)
                .containsExactly(2L);
        assertThat(store.attempts("run-o", "web-01").getFirst().outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aCopyOfAnEventThisProcessRecordedIsKnownWithoutTheDatabaseOnceAndThenAskedAgain() {
        RegistryStore remembering = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 100);
        AttemptEvent finished = recordFinishedThenForgetIt(remembering, "run-copy");
        AttemptEvent copy = Contracts.readEvent(Contracts.toJson(finished)); // as the other queue delivers it

        assertThat(remembering.recordAdmitted(List.of(copy))).isEmpty();
        assertThat(remembering.attempts("run-copy", "web-01")).isEmpty();
        assertThat(remembering.recordAdmitted(List.of(copy))).containsExactly(copy);
        assertThat(remembering.attempts("run-copy", "web-01"))
                .extracting(AttemptRecord::outcome)
                .containsExactly(Outcome.SUCCEEDED);
    }

    @Test
    void aStoreThatRemembersNothingAsksTheDatabaseForEveryCopy() {
        AttemptEvent finished = recordFinishedThenForgetIt(store, "run-forget");

        assertThat(store.recordAdmitted(List.of(finished))).containsExactly(finished);
    }

    @Test
    void anAttemptThatFinishedHereIsKnownAsDispatchedWithoutTheDatabase() {
        store.createRun(run("run-known"), List.of(web1, web2));
        InstallMessage finishing = message("run-known", web1);
        InstallMessage running = message("run-known", web2);
        store.recordReleasing("run-known", List.of(finishing, running), T0);
        store.recordAdmitted(List.of(
                AttemptEvent.finished(finishing, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, "")),
                AttemptEvent.started(running, "worker-a", false)));
        // the service's ingest brings the outcome a second time: the gate asks whether the attempt was dispatched
        JdbcClient.create(dataSource).sql("delete from dispatched_attempts").update();

        assertThat(store.dispatched("run-known", "web-01", finishing.attemptId()))
                .isTrue();
        assertThat(store.dispatched("run-known", "web-02", running.attemptId())).isTrue();
        assertThat(store.dispatched("run-known", "web-01", "run-known/web-01/2/forged"))
                .isFalse();
    }

    /**
     * Records web-01's outcome, then the registry forgets the attempt behind the store's back: only a copy that reaches
     * the database brings it back.
     */
    private AttemptEvent recordFinishedThenForgetIt(RegistryStore registry, String runId) {
        registry.createRun(run(runId), List.of(web1));
        InstallMessage released = message(runId, web1);
        registry.recordReleasing(runId, List.of(released), T0);
        AttemptEvent finished = AttemptEvent.finished(
                released, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1");
        assertThat(registry.recordAdmitted(List.of(finished))).containsExactly(finished);
        JdbcClient.create(dataSource)
                .sql("delete from attempts where attempt_id = ?")
                .param(released.attemptId())
                .update();
        return finished;
    }

    @Test
    void outputBeyondTheCapAndItsMarginIsNotRecorded() {
        RegistryStore capped = storeWith(org.springframework.util.unit.DataSize.ofKilobytes(1), 0);
        capped.createRun(run("run-cap"), List.of(web1));
        InstallMessage released = message("run-cap", web1);
        capped.recordReleasing("run-cap", List.of(released), T0);
        String full = "x".repeat(64 * 1024);
        for (int seq = 0; seq < 6; seq++) {
            capped.record(AttemptEvent.output(
                    released,
                    "worker-a",
                    false,
                    "execution-1",
                    List.of(new OutputChunk(OutputStreamName.STDOUT, seq, seq * 64L * 1024, full))));
        }

        assertThat(capped.output(released.attemptId(), -1))
                .as("1 KiB and a margin of 256 KiB: four chunks of 64 KiB")
                .extracting(OutputRecord::seq)
                .containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void theDatabaseAloneKnowsEveryAttemptReleasedAndSupersededAndNoneNamedByAStranger() {
        // a run's follower records its first window as released with the run itself
        InstallMessage first = message("run-g", web1);
        InstallMessage held = message("run-g", web2);
        store.createOwnedRun(run("run-g"), List.of(web1, web2), List.of(first), "replica-a", T0.plusSeconds(30));
        RegistryStore elsewhere = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 0);

        assertThat(store.nodes("run-g", Optional.empty()))
                .extracting(NodeRecord::nodeId, NodeRecord::dispatchedAttemptId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("web-01", first.attemptId()),
                        org.assertj.core.groups.Tuple.tuple("web-02", null));
        assertThat(elsewhere.dispatched("run-g", "web-01", first.attemptId())).isTrue();
        assertThat(elsewhere.dispatched("run-g", "web-02", held.attemptId()))
                .as("held back, never released")
                .isFalse();

        // a dead letter that names a forged attempt as the one it supersedes gets the forgery nothing
        String forged = "run-g/web-01/1/forged";
        InstallMessage second = secondAttempt(first, T0.plus(2, ChronoUnit.HOURS));
        store.recordResurrecting(forged, second, 1, "resurrected", "resurrection 1 of 3", false, T0.plusSeconds(3));
        assertThat(elsewhere.dispatched("run-g", "web-01", forged)).isFalse();
        assertThat(store.node("run-g", "web-01").orElseThrow().dispatchedAttemptId())
                .as("still on its first attempt")
                .isEqualTo(first.attemptId());

        // the real resurrection: the first attempt, superseded, is still known, and so is its successor
        store.recordResurrecting(
                first.attemptId(), second, 1, "resurrected", "resurrection 1 of 3", false, T0.plusSeconds(4));
        assertThat(store.node("run-g", "web-01").orElseThrow().dispatchedAttemptId())
                .isEqualTo(second.attemptId());
        RegistryStore later = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 0);
        assertThat(later.dispatched("run-g", "web-01", first.attemptId())).isTrue();
        assertThat(later.dispatched("run-g", "web-01", second.attemptId())).isTrue();
        assertThat(later.dispatched("run-g", "web-01", forged)).isFalse();
        assertThat(later.dispatched("run-g", "web-02", first.attemptId()))
                .as("another node's attempt")
                .isFalse();
    }

    @Test
    void aReleaseThatWouldReplaceANodesAttemptOrNamesNoNodeOfTheRunRecordsNothing() {
        InstallMessage first = message("run-h", web1);
        store.createOwnedRun(run("run-h"), List.of(web1, web2), List.of(first), "replica-a", T0.plusSeconds(30));
        store.recordReleasing("run-h", List.of(first), T0.plusSeconds(1)); // the same release again changes nothing

        InstallMessage other = message("run-h", web1);
        InstallMessage web2s = message("run-h", web2);
        assertThatThrownBy(() -> store.recordReleasing("run-h", List.of(web2s, other), T0.plusSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(other.attemptId())
                .hasMessageContaining("node web-01 of run run-h");
        assertThat(store.nodes("run-h", Optional.empty()))
                .extracting(NodeRecord::dispatchedAttemptId)
                .as("neither the refused release nor the one beside it")
                .containsExactly(first.attemptId(), null);

        NodeTarget stranger = new NodeTarget("web-99", "10.0.0.99", 22, "deploy");
        assertThatThrownBy(() -> store.createOwnedRun(
                        run("run-i"), List.of(web1), List.of(message("run-i", stranger)), "replica-a", T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 released message(s) name no node of run run-i");
        assertThat(store.run("run-i")).isEmpty();
    }

    @Test
    void onlyReleasedAttemptsAreDispatchedAndEveryExecutionIsKept() {
        store.createRun(run("run-x"), List.of(web1));
        InstallMessage released = message("run-x", web1);
        store.recordReleasing("run-x", List.of(released), T0);

        assertThat(store.dispatched("run-x", "web-01", released.attemptId())).isTrue();
        assertThat(store.dispatched("run-x", "web-01", released.attemptId() + "-forged"))
                .isFalse();
        assertThat(store.dispatched("run-x", "web-02", released.attemptId()))
                .as("another node's attempt")
                .isFalse();

        AttemptResult ok = AttemptResult.without(Outcome.SUCCEEDED, "");
        store.record(AttemptEvent.started(released, "worker-a", false, "execution-1"));
        store.record(AttemptEvent.finished(released, "worker-a", false, ok, "execution-1"));
        // the same message run again by another worker: the attempt stays as it was, the execution is on the record
        store.record(AttemptEvent.started(released, "worker-b", false, "execution-2"));
        assertThat(store.record(AttemptEvent.finished(released, "worker-b", false, ok, "execution-2")))
                .isFalse();

        assertThat(store.executions("run-x").get("web-01"))
                .extracting(ExecutionRecord::executionId, ExecutionRecord::worker, ExecutionRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("execution-1", "worker-a", Outcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("execution-2", "worker-b", Outcome.SUCCEEDED));
        assertThat(store.executions("run-x", "web-01"))
                .isEqualTo(store.executions("run-x").get("web-01"));
        assertThat(store.executions("run-x", "web-02")).isEmpty();
        assertThat(store.nodes("run-x", Optional.empty()).getFirst().finishedAttempts())
                .isEqualTo(1);
    }

    @Test
    void eachExecutionKeepsItsOwnEndWhenAnotherClosedItsAttemptOrNoneStarted() {
        store.createRun(run("run-e"), List.of(web1, web2));
        InstallMessage first = message("run-e", web1);
        InstallMessage second = message("run-e", web2);
        store.recordReleasing("run-e", List.of(first, second), T0);

        // a worker starts it and loses its channel; the message is redelivered to another, which ends it first
        store.record(AttemptEvent.started(first, "worker-a", false, "execution-1"));
        store.record(AttemptEvent.started(first, "worker-b", true, "execution-2"));
        AttemptEvent failed = at(
                T0.plusSeconds(20),
                AttemptEvent.finished(
                        first,
                        "worker-b",
                        true,
                        AttemptResult.without(Outcome.COMMAND_FAILED, "exit 1"),
                        "execution-2"));
        assertThat(store.record(failed)).isTrue();
        AttemptEvent late = at(
                T0.plusSeconds(30),
                AttemptEvent.finished(
                        first, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1"));
        assertThat(store.record(late)).as("the attempt was closed already").isFalse();
        // a node whose end arrives without a start (its STARTED lost, or never sent)
        AttemptEvent unstarted = at(
                T0.plusSeconds(40),
                AttemptEvent.finished(
                        second, "worker-c", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-3"));
        assertThat(store.record(unstarted)).isTrue();

        assertThat(store.executions("run-e").get("web-01"))
                .extracting(
                        ExecutionRecord::executionId,
                        ExecutionRecord::worker,
                        ExecutionRecord::redelivered,
                        ExecutionRecord::started,
                        ExecutionRecord::finishedAt,
                        ExecutionRecord::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "execution-1", "worker-a", false, true, late.at(), Outcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple(
                                "execution-2", "worker-b", true, true, failed.at(), Outcome.COMMAND_FAILED));
        assertThat(store.executions("run-e", "web-02"))
                .extracting(
                        ExecutionRecord::executionId,
                        ExecutionRecord::worker,
                        ExecutionRecord::started,
                        ExecutionRecord::finishedAt,
                        ExecutionRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "execution-3", "worker-c", false, unstarted.at(), Outcome.SUCCEEDED));
        assertThat(store.attempts("run-e", "web-01"))
                .singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.COMMAND_FAILED));
    }

    @Test
    void anEndThatNamesAnotherAttemptsExecutionLendsItNothing() {
        store.createRun(run("run-f"), List.of(web1, web2));
        InstallMessage first = message("run-f", web1);
        InstallMessage second = message("run-f", web2);
        store.recordReleasing("run-f", List.of(first, second), T0);
        store.record(AttemptEvent.started(first, "worker-a", false, "execution-1"));

        // a careless or hostile worker closes the other node's attempt under the first one's execution id
        store.record(AttemptEvent.finished(
                second, "worker-b", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1"));

        assertThat(store.executions("run-f", "web-01"))
                .as("the first node's execution still runs")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.attemptId()).isEqualTo(first.attemptId());
                    assertThat(e.finishedAt()).isNull();
                    assertThat(e.outcome()).isNull();
                });
        assertThat(store.executions("run-f", "web-02")).isEmpty();
        assertThat(store.attempts("run-f", "web-01"))
                .singleElement()
                .satisfies(a -> assertThat(a.finishedAt()).isNull());
    }

    @Test
    void aReleaseThatStoppedEarlyKeepsItsFirstReasonAndCancelsOnlyTheNodesNeverReleased() {
        store.createRun(run("run-s"), List.of(web1, web2));
        store.recordReleasing("run-s", List.of(message("run-s", web1)), T0);
        assertThat(store.run("run-s").orElseThrow().releaseStopped()).isNull();

        store.cancelUnreleased("run-s", "canary failed: 1 of 1 canary node(s) did not succeed", T0.plusSeconds(5));
        store.cancelUnreleased("run-s", "the run was cancelled", T0.plusSeconds(6));

        assertThat(store.run("run-s").orElseThrow().releaseStopped())
                .isEqualTo("canary failed: 1 of 1 canary node(s) did not succeed");
        assertThat(store.nodes("run-s", Optional.empty()))
                .extracting(NodeRecord::nodeId, NodeRecord::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("web-01", NodeState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("web-02", NodeState.CANCELLED));
    }

    @Test
    void aBatchIsRecordedInOneTransactionAndSaysWhichEventsWereNew() {
        store.createRun(run("run-b"), List.of(web1, web2));
        InstallMessage one = message("run-b", web1);
        InstallMessage two = message("run-b", web2);
        store.recordReleasing("run-b", List.of(one, two), T0);
        AttemptEvent oneStarted = AttemptEvent.started(one, "worker-a", false, "execution-1");
        AttemptEvent oneFinished = AttemptEvent.finished(
                one, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1");
        AttemptEvent twoStarted = AttemptEvent.started(two, "worker-b", false, "execution-2");

        // as a queue may hand them over: out of order, and one twice
        assertThat(store.recordAdmitted(List.of(oneFinished, twoStarted, oneStarted, oneFinished)))
                .containsExactly(oneStarted, oneFinished, twoStarted);
        assertThat(store.recordAdmitted(List.of(oneFinished, twoStarted)))
                .as("the batch redelivered")
                .isEmpty();

        assertThat(store.nodeStates("run-b")).isEqualTo(Map.of(NodeState.SUCCEEDED, 1, NodeState.RUNNING, 1));
        assertThat(store.attempts("run-b", "web-01")).singleElement().satisfies(a -> {
            assertThat(a.startedAt()).isNotNull();
            assertThat(a.outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        assertThat(store.executions("run-b").get("web-01"))
                .singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.SUCCEEDED));
        assertThat(store.dispatched("run-b", "web-01", one.attemptId()))
                .as("finished, asked of the table")
                .isTrue();
    }

    @Test
    void aBatchLeavesTheRegistryAsItsEventsRecordedOneAtATimeWould() {
        RegistryStore capped = storeWith(org.springframework.util.unit.DataSize.ofKilobytes(1), 0);
        List<AttemptEvent> alone = eventsOfARunWithEveryKindOfEnd(capped, "run-alone");
        List<AttemptEvent> batched = eventsOfARunWithEveryKindOfEnd(capped, "run-batched");

        List<Integer> newAlone = new ArrayList<>();
        for (int i = 0; i < alone.size(); i++) {
            if (capped.record(alone.get(i))) {
                newAlone.add(i);
            }
        }
        List<AttemptEvent> recorded = capped.recordAdmitted(batched);

        assertThat(newAlone).as("the events new when recorded one at a time").containsExactly(0, 1, 2, 3, 5);
        assertThat(recorded)
                .containsExactlyInAnyOrderElementsOf(
                        newAlone.stream().map(batched::get).toList());
        for (NodeTarget node : List.of(web1, web2)) {
            assertThat(written(capped, "run-batched", node.id()))
                    .as(node.id())
                    .isEqualTo(written(capped, "run-alone", node.id()));
        }
        assertThat(written(capped, "run-batched", web1.id()))
                .as("one execution closed its attempt with 3 of its 4 chunks under the cap, 1 of them inline")
                .contains("execution RUN-ex-1 worker-a false true 2026-11-21T10:00:09Z SUCCEEDED")
                .contains("output [0, 1, 2]");
        assertThat(capped.commandSilences(
                        script.name(),
                        InstallScript.digest(List.of(script.commands().get(0))),
                        T0.minusSeconds(1),
                        10))
                .as("the command that exited 0, once for each run")
                .containsExactly(700L, 700L);
    }

    /**
     * web-01: started, output, finished with two chunks inline (the second beyond the cap); web-02: finished by an
     * execution never seen starting, a copy of that, then the start of another execution and its late end.
     */
    private List<AttemptEvent> eventsOfARunWithEveryKindOfEnd(RegistryStore registry, String runId) {
        registry.createRun(run(runId), List.of(web1, web2));
        InstallMessage first = message(runId, web1);
        InstallMessage second = message(runId, web2);
        registry.recordReleasing(runId, List.of(first, second), T0);
        String kib100 = "x".repeat(100 * 1024);
        String kib40 = "y".repeat(40 * 1024);
        AttemptEvent unstarted = at(
                T0.plusSeconds(3),
                AttemptEvent.finished(
                        second,
                        "worker-c",
                        false,
                        AttemptResult.without(Outcome.COMMAND_FAILED, "exit 1"),
                        runId + "-ex-3"));
        return List.of(
                at(T0.plusSeconds(1), AttemptEvent.started(first, "worker-a", false, runId + "-ex-1")),
                at(
                        T0.plusSeconds(2),
                        AttemptEvent.output(
                                first,
                                "worker-a",
                                false,
                                runId + "-ex-1",
                                List.of(
                                        new OutputChunk(OutputStreamName.STDOUT, 0, 0, kib100),
                                        new OutputChunk(OutputStreamName.STDOUT, 1, 100 * 1024, kib100)))),
                unstarted,
                at(
                        T0.plusSeconds(9),
                        AttemptEvent.finished(
                                        first,
                                        "worker-a",
                                        false,
                                        withCommands(Outcome.SUCCEEDED, command(0, 0, 700), command(1, 1, 50)),
                                        runId + "-ex-1")
                                .withOutput(List.of(
                                        new OutputChunk(OutputStreamName.STDOUT, 2, 200 * 1024, kib40),
                                        new OutputChunk(OutputStreamName.STDERR, 3, 0, kib40)))),
                unstarted,
                at(T0.plusSeconds(4), AttemptEvent.started(second, "worker-d", true, runId + "-ex-4")),
                at(
                        T0.plusSeconds(5),
                        AttemptEvent.finished(
                                second,
                                "worker-d",
                                true,
                                AttemptResult.without(Outcome.SUCCEEDED, ""),
                                runId + "-ex-4")));
    }

    /** What the registry holds of a node, its run's id taken out of every value. */
    private static List<String> written(RegistryStore registry, String runId, String nodeId) {
        List<String> lines = new ArrayList<>();
        registry.attempts(runId, nodeId)
                .forEach(a -> lines.add(String.join(
                        " ",
                        "attempt",
                        a.worker(),
                        String.valueOf(a.redelivered()),
                        String.valueOf(a.startedAt()),
                        String.valueOf(a.finishedAt()),
                        String.valueOf(a.outcome()))));
        registry.executions(runId, nodeId)
                .forEach(e -> lines.add(String.join(
                        " ",
                        "execution",
                        e.executionId(),
                        e.worker(),
                        String.valueOf(e.redelivered()),
                        String.valueOf(e.started()),
                        String.valueOf(e.finishedAt()),
                        String.valueOf(e.outcome()))));
        registry.attempts(runId, nodeId)
                .forEach(a -> lines.add("output "
                        + registry.output(a.attemptId(), -1).stream()
                                .map(OutputRecord::seq)
                                .toList()));
        registry.nodes(runId, Optional.empty()).stream()
                .filter(n -> n.nodeId().equals(nodeId))
                .forEach(n -> lines.add("node " + n.state() + " " + n.finishedAttempts()));
        return lines.stream().map(line -> line.replace(runId, "RUN")).toList();
    }

    @Test
    void batchesRecordedAtOnceInOppositeOrdersDoNotDeadlock() throws Exception {
        List<NodeTarget> nodes = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> new NodeTarget("node-" + i, "10.0.1." + (i % 250), 22, "deploy"))
                .toList();
        store.createRun(run("run-c"), nodes);
        List<InstallMessage> messages =
                nodes.stream().map(n -> message("run-c", n)).toList();
        store.recordReleasing("run-c", messages, T0);
        List<AttemptEvent> started = messages.stream()
                .map(m -> AttemptEvent.started(m, "worker-a", false))
                .toList();
        List<AttemptEvent> reversed = new java.util.ArrayList<>(started);
        java.util.Collections.reverse(reversed);

        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var follower = threads.submit(() -> store.recordAdmitted(started).size());
            var ingest = threads.submit(() -> store.recordAdmitted(reversed).size());
            assertThat(follower.get(60, java.util.concurrent.TimeUnit.SECONDS)
                            + ingest.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .as("each event new exactly once")
                    .isEqualTo(200);
        }
        assertThat(store.nodeStates("run-c")).isEqualTo(Map.of(NodeState.RUNNING, 200));
    }

    @Test
    void twoProcessesRecordingOneRunsEventsAtOnceInCrossedBatchesDoNotDeadlock() throws Exception {
        RegistryStore follower = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 0);
        RegistryStore ingest = storeWith(org.springframework.util.unit.DataSize.ofMegabytes(8), 0);
        List<NodeTarget> nodes = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> new NodeTarget("node-" + i, "10.0.2." + i, 22, "deploy"))
                .toList();
        for (int round = 0; round < 3; round++) {
            String runId = "run-x" + round;
            store.createRun(run(runId), nodes);
            List<InstallMessage> messages =
                    nodes.stream().map(n -> message(runId, n)).toList();
            store.recordReleasing(runId, messages, T0);
            // each takes the starts of half the nodes and the ends of the other half: the other's rows, not yet
            // committed, are what each needs next
            List<AttemptEvent> one = new ArrayList<>();
            List<AttemptEvent> other = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                AttemptEvent started = AttemptEvent.started(messages.get(i), "worker-a", false, runId + "-s" + i);
                AttemptEvent finished = AttemptEvent.finished(
                        messages.get(i),
                        "worker-a",
                        false,
                        AttemptResult.without(Outcome.SUCCEEDED, ""),
                        runId + "-s" + i);
                (i % 2 == 0 ? one : other).add(started);
                (i % 2 == 0 ? other : one).add(finished);
            }
            var start = new java.util.concurrent.CountDownLatch(1);
            try (var threads = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                var first = threads.submit(() -> {
                    start.await();
                    return follower.recordAdmitted(one).size();
                });
                var second = threads.submit(() -> {
                    start.await();
                    return ingest.recordAdmitted(other).size();
                });
                start.countDown();
                assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS)
                                + second.get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .as("each event new exactly once, round %d", round)
                        .isEqualTo(200);
            }
            assertThat(store.nodeStates(runId)).isEqualTo(Map.of(NodeState.SUCCEEDED, 100));
            assertThat(store.nodes(runId, Optional.empty()))
                    .extracting(NodeRecord::finishedAttempts)
                    .containsOnly(1);
        }
    }

    @Test
    void eventsOfAnotherRegistrysRunsAreIgnored() {
        store.createRun(run("run-5"), List.of(web1));

        assertThat(store.record(AttemptEvent.started(message("someone-elses", web1), "worker-a", false)))
                .isFalse();
        assertThat(store.record(AttemptEvent.started(message("run-5", web2), "worker-a", false)))
                .isFalse();
        assertThat(store.attempts("run-5", "web-02")).isEmpty();
    }

    @Test
    void aFinishedRunStaysFinished() {
        store.createRun(run("run-6"), List.of(web1));
        assertThat(store.finished("run-6")).isFalse();

        store.finishRun("run-6", RunState.FINISHED, T0.plusSeconds(60));
        store.finishRun("run-6", RunState.CANCELLED, T0.plusSeconds(90));

        RunRecord run = store.run("run-6").orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FINISHED);
        assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.finished("run-6")).isTrue();
        assertThat(store.finished("no-such-run")).isFalse();
    }

    @Test
    void aDeadLetterIsRecordedWithItsReasonAndAResurrectionMovesTheNodeOnToItsNextAttempt() {
        store.createRun(run("run-dl"), List.of(web1, web2));
        InstallMessage first = message("run-dl", web1);
        store.recordReleasing("run-dl", List.of(first), T0);
        AttemptResult refused = AttemptResult.without(Outcome.CONNECT_FAILED, "connection refused")
                .resurrectable(true);

        store.record(AttemptEvent.finished(first, "worker-a", false, refused));
        assertThat(store.nodes("run-dl", Optional.of(NodeState.DEAD_LETTERED)))
                .extracting(NodeRecord::nodeId)
                .containsExactly("web-01");
        AttemptEvent dead = AttemptEvent.deadLettered(
                first.attemptId(),
                "run-dl",
                "web-01",
                1,
                "coordinator-1",
                new DeadLetter(DeadLetter.REJECTED, "lazarus.install", T0.plusSeconds(2), 0));
        assertThat(store.record(dead)).isTrue();
        assertThat(store.record(dead)).as("a duplicate dead letter").isFalse();
        assertThat(store.deadLetters("run-dl")).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("rejected");
            assertThat(d.verdict()).isNull();
        });
        Standing standing =
                store.standing("run-dl", "web-01", first.attemptId()).orElseThrow();
        assertThat(standing.currentAttemptId()).isEqualTo(first.attemptId());
        assertThat(standing.result().resurrectable()).isTrue();

        InstallMessage second = secondAttempt(first, T0.plus(2, ChronoUnit.HOURS));
        store.recordResurrecting(
                first.attemptId(), second, 1, "resurrected", "resurrection 1 of 3", false, T0.plusSeconds(3));
        NodeRecord node = store.nodes("run-dl", Optional.of(NodeState.PENDING)).getFirst();
        assertThat(node.dispatchedAttemptId()).isEqualTo(second.attemptId());
        assertThat(node.attempt()).isEqualTo(2);
        assertThat(node.resurrections()).isEqualTo(1);
        assertThat(store.deadLetters("run-dl"))
                .singleElement()
                .extracting(DeadLetterRecord::verdict)
                .isEqualTo("resurrected");

        // the first attempt's events, arriving late, no longer move the node
        store.record(dead);
        store.record(AttemptEvent.finished(first.attemptId(), "run-dl", "web-01", 1, "worker-b", true, refused));
        assertThat(store.nodes("run-dl", Optional.of(NodeState.PENDING)))
                .extracting(NodeRecord::nodeId)
                .containsExactly("web-01", "web-02");

        store.record(AttemptEvent.finished(second, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, "")));
        assertThat(store.nodes("run-dl", Optional.of(NodeState.SUCCEEDED)))
                .extracting(NodeRecord::nodeId)
                .containsExactly("web-01");
        assertThat(store.lastVerdicts("run-dl")).isEmpty();
    }

    @Test
    void theBooksWithoutTheReportAreTheReportsBooksWhateverStateItsNodesAreIn() {
        List<NodeTarget> nodes = java.util.stream.IntStream.rangeClosed(1, 10)
                .mapToObj(i -> new NodeTarget("n-%02d".formatted(i), "10.0.1." + i, 22, "deploy"))
                .toList();
        store.createRun(run("run-books"), nodes);
        List<InstallMessage> released =
                nodes.subList(0, 9).stream().map(n -> message("run-books", n)).toList();
        store.recordReleasing("run-books", released, T0);
        StoredReports reports = new StoredReports(store);
        assertThat(reports.books("run-books").orElseThrow().reconciliation())
                .as("nothing has happened yet")
                .isEqualTo(reports.report("run-books").orElseThrow().reconciliation());

        store.record(AttemptEvent.finished(
                released.get(0), "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, "")));
        store.record(AttemptEvent.finished(
                released.get(1), "worker-a", false, AttemptResult.without(Outcome.COMMAND_FAILED, "exit 1")));
        store.record(AttemptEvent.finished(
                released.get(2), "worker-a", false, AttemptResult.without(Outcome.AUTH_FAILED, "denied")));
        store.record(AttemptEvent.started(released.get(3), "worker-a", false));
        // released.get(4) stays queued
        store.record(AttemptEvent.finished(
                released.get(5),
                "worker-a",
                false,
                AttemptResult.without(Outcome.CONNECT_FAILED, "refused").resurrectable(true)));
        store.record(AttemptEvent.finished(
                released.get(6), "worker-a", false, AttemptResult.without(Outcome.CANCELLED, "deadline passed")));
        store.record(AttemptEvent.started(released.get(7), "worker-a", false));
        store.markGhosts("run-books", List.of(released.get(7).node().id()), T0.plusSeconds(5));
        // a node whose first attempt timed out and whose resurrection succeeded: its books name the last outcome
        store.record(AttemptEvent.finished(
                released.get(8),
                "worker-a",
                false,
                AttemptResult.without(Outcome.TIMED_OUT, "deadline").resurrectable(true)));
        InstallMessage second = secondAttempt(released.get(8), T0.plus(2, ChronoUnit.HOURS));
        store.recordResurrecting(
                released.get(8).attemptId(), second, 1, "resurrected", "resurrection 1 of 3", false, T0.plusSeconds(6));
        store.record(at(
                T0.plusSeconds(7),
                AttemptEvent.finished(second, "worker-b", false, AttemptResult.without(Outcome.SUCCEEDED, ""))));
        store.cancelUnreleased("run-books", "cancelled", T0.plusSeconds(8));

        StoredReports.Books books = reports.books("run-books").orElseThrow();
        var report = reports.report("run-books").orElseThrow();
        assertThat(books.states()).isEqualTo(report.states());
        assertThat(books.reconciliation()).isEqualTo(report.reconciliation());
        assertThat(books.reconciliation().line())
                .isEqualTo("9 dispatched = 2 succeeded + 2 failed + 1 dead-lettered + 0 quarantined + 1 ghosts"
                        + " + 1 cancelled + 2 unfinished; 1 never released: balanced");
        assertThat(reports.books("no-such-run")).isEmpty();
    }

    @Test
    void aQuarantinedNodeIsRecordedWithTheGatekeepersWordsAndAReopenedRunIsClaimedOnce() {
        store.createRun(run("run-q"), List.of(web1));
        InstallMessage first = message("run-q", web1);
        store.recordReleasing("run-q", List.of(first), T0);
        store.finishRun("run-q", RunState.FINISHED, T0.plusSeconds(5));

        store.recordVerdict(
                "run-q",
                "web-01",
                first.attemptId(),
                1,
                3,
                "quarantined",
                "resurrection limit reached: 3 of 3",
                NodeState.QUARANTINED,
                T0.plusSeconds(6));
        assertThat(store.nodeStates("run-q")).isEqualTo(Map.of(NodeState.QUARANTINED, 1));
        assertThat(store.lastVerdicts("run-q")).isEqualTo(Map.of("web-01", "resurrection limit reached: 3 of 3"));

        InstallMessage released = secondAttempt(first, T0.plus(3, ChronoUnit.HOURS));
        store.recordResurrecting(
                first.attemptId(), released, 0, "released", "released from quarantine", true, T0.plusSeconds(7));
        RunRecord run = store.run("run-q").orElseThrow();
        assertThat(run.finishedAt()).isNull();
        assertThat(run.state()).isEqualTo(RunState.RUNNING);
        assertThat(run.deadline()).isEqualTo(T0.plus(3, ChronoUnit.HOURS));
        assertThat(store.claimReopened()).containsExactly("run-q");
        assertThat(store.claimReopened()).as("claimed once").isEmpty();
    }

    @Test
    void aRunsLeaseIsHeldByOneReplicaUntilItExpiresThenTakenOverUnderANewEpoch() {
        store.createRun(run("run-l"), List.of(web1, web2));

        Lease a =
                store.acquireLease("run-l", "replica-a", T0, T0.plusSeconds(15)).orElseThrow();
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(store.acquireLease("run-l", "replica-b", T0.plusSeconds(5), T0.plusSeconds(20)))
                .as("held, not expired")
                .isEmpty();
        assertThat(store.acquireLease("run-l", "replica-a", T0.plusSeconds(5), T0.plusSeconds(20)))
                .as("its holder does not win it twice")
                .isEmpty();
        assertThat(store.renewLease(a, T0.plusSeconds(25))).isTrue();
        assertThat(store.acquireLease("run-l", "replica-b", T0.plusSeconds(20), T0.plusSeconds(35)))
                .as("renewed")
                .isEmpty();
        assertThat(store.leaseHolder("run-l")).contains(new LeaseHolder("replica-a", 1, T0.plusSeconds(25)));

        Lease b = store.acquireLease("run-l", "replica-b", T0.plusSeconds(26), T0.plusSeconds(41))
                .orElseThrow();

        assertThat(b.epoch()).isEqualTo(2);
        assertThat(store.renewLease(a, T0.plusSeconds(40)))
                .as("a lost lease is not renewed")
                .isFalse();
        assertThat(store.leaseHolder("run-l")).contains(new LeaseHolder("replica-b", 2, T0.plusSeconds(41)));
    }

    @Test
    void aBatchRecordedUnderALostLeaseRecordsNothingAndTheNewHolderRecordsIt() {
        store.createRun(run("run-r"), List.of(web1));
        Lease a =
                store.acquireLease("run-r", "replica-a", T0, T0.plusSeconds(15)).orElseThrow();
        InstallMessage one = message("run-r", web1);
        store.recordReleasing(a, List.of(one), T0);
        AttemptEvent started = AttemptEvent.started(one, "worker-a", false, "execution-1");
        AttemptEvent finished = AttemptEvent.finished(
                one, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "execution-1");
        assertThat(store.recordAdmitted(a, List.of(started))).containsExactly(started);
        Lease b = store.acquireLease("run-r", "replica-b", T0.plusSeconds(16), T0.plusSeconds(31))
                .orElseThrow();

        assertThatThrownBy(() -> store.recordAdmitted(a, List.of(finished)))
                .isInstanceOf(LeaseLost.class)
                .hasMessageContaining("replica-a lost the lease of run run-r (epoch 1)");
        assertThat(store.nodeStates("run-r"))
                .as("nothing of the refused batch stays")
                .isEqualTo(Map.of(NodeState.RUNNING, 1));

        assertThat(store.recordAdmitted(b, List.of(started, finished)))
                .as("the batch redelivered to the new holder")
                .containsExactly(finished);
        assertThat(store.nodeStates("run-r")).isEqualTo(Map.of(NodeState.SUCCEEDED, 1));
    }

    @Test
    void aFormerHolderCanNoLongerReleaseCancelGhostOrFinish() {
        store.createRun(run("run-f"), List.of(web1, web2));
        Lease a =
                store.acquireLease("run-f", "replica-a", T0, T0.plusSeconds(15)).orElseThrow();
        InstallMessage one = message("run-f", web1);
        store.recordReleasing(a, List.of(one), T0);
        Lease b = store.acquireLease("run-f", "replica-b", T0.plusSeconds(16), T0.plusSeconds(31))
                .orElseThrow();

        InstallMessage two = message("run-f", web2);
        assertThatThrownBy(() -> store.recordReleasing(a, List.of(two), T0.plusSeconds(17)))
                .isInstanceOf(LeaseLost.class)
                .hasMessageContaining("replica-a lost the lease of run run-f (epoch 1)");
        assertThatThrownBy(() -> store.markGhosts(a, List.of("web-01"), T0.plusSeconds(17)))
                .isInstanceOf(LeaseLost.class);
        assertThatThrownBy(() -> store.cancelUnreleased(a, "cancelled", T0.plusSeconds(17)))
                .isInstanceOf(LeaseLost.class);
        assertThatThrownBy(() -> store.finishRun(a, RunState.FINISHED, T0.plusSeconds(17)))
                .isInstanceOf(LeaseLost.class);
        assertThat(store.dispatched("run-f", "web-02", two.attemptId()))
                .as("nothing of a refused write stays")
                .isFalse();
        assertThat(store.nodes("run-f", Optional.empty()))
                .extracting(NodeRecord::state, NodeRecord::dispatchedAttemptId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(NodeState.PENDING, one.attemptId()),
                        org.assertj.core.groups.Tuple.tuple(NodeState.PENDING, null));

        store.recordReleasing(b, List.of(two), T0.plusSeconds(18));
        store.finishRun(b, RunState.FINISHED, T0.plusSeconds(60));
        assertThat(store.run("run-f").orElseThrow().finishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.leaseHolder("run-f"))
                .as("a finished run's lease is given up")
                .isEmpty();
        assertThat(store.acquireLease("run-f", "replica-c", T0.plusSeconds(61), T0.plusSeconds(76)))
                .as("a finished run is followed by nobody")
                .isEmpty();
    }

    @Test
    void ofReplicasAskingForOneRunAtOnceExactlyOneWins() throws Exception {
        store.createRun(run("run-race"), List.of(web1));
        int replicas = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(replicas);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(replicas)) {
            List<java.util.concurrent.Future<Optional<Lease>>> asked = java.util.stream.IntStream.range(0, replicas)
                    .mapToObj(i -> pool.submit(() -> {
                        together.await();
                        return store.acquireLease("run-race", "replica-" + i, T0, T0.plusSeconds(15));
                    }))
                    .toList();
            long won = 0;
            for (var answer : asked) {
                won += answer.get().isPresent() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        }
        assertThat(store.leaseHolder("run-race").orElseThrow().epoch()).isEqualTo(1);
    }

    @Test
    void aLeaseGivenUpIsTakenAtOnceAndARunCreatedOwnedIsNot() {
        Lease own = store.createOwnedRun(run("run-g"), List.of(web1), "replica-a", T0.plusSeconds(15));
        assertThat(own).isEqualTo(new Lease("run-g", "replica-a", 1));
        assertThat(store.acquireLease("run-g", "replica-b", T0.plusSeconds(1), T0.plusSeconds(16)))
                .isEmpty();

        store.releaseLease(own);

        assertThat(store.acquireLease("run-g", "replica-b", T0.plusSeconds(2), T0.plusSeconds(17)))
                .contains(new Lease("run-g", "replica-b", 2));
    }

    @Test
    void aCommandsSilencesAreKeptAcrossRunsFromItsSuccessfulRunsOnly() {
        store.createRun(run("run-h1"), List.of(web1));
        store.createRun(run("run-h2"), List.of(web1, web2));
        AttemptEvent first = AttemptEvent.finished(
                message("run-h1", web1),
                "worker-a",
                false,
                withCommands(Outcome.COMMAND_FAILED, command(0, 0, 1200), command(1, 100, 5000)));
        store.record(first);
        store.record(first);
        store.record(AttemptEvent.finished(
                message("run-h2", web1), "worker-a", false, withCommands(Outcome.STALLED, command(0, null, 9000))));
        store.record(AttemptEvent.finished(
                message("run-h2", web2),
                "worker-a",
                false,
                withCommands(Outcome.SUCCEEDED, command(0, 0, 800), command(1, 0, 300))));
        String update = InstallScript.digest(List.of(script.commands().get(0)));
        String install = InstallScript.digest(List.of(script.commands().get(1)));
        Instant since = Instant.now().minus(1, ChronoUnit.HOURS);

        assertThat(store.commandSilences(script.name(), update, since, 10)).containsExactlyInAnyOrder(1200L, 800L);
        assertThat(store.commandSilences(script.name(), install, since, 10)).containsExactly(300L);
        assertThat(store.commandSilences(script.name(), update, since, 1)).hasSize(1);
        assertThat(store.commandSilences("other.sh", update, since, 10)).isEmpty();
        assertThat(store.commandSilences(script.name(), update, Instant.now().plusSeconds(60), 10))
                .isEmpty();
    }

    @Test
    void aNodesTransientFailuresAreCountedAcrossRunsAndItsScriptFailuresAreNot() {
        store.createRun(run("run-t1"), List.of(web1, web2));
        store.createRun(run("run-t2"), List.of(web1, web2));
        store.record(AttemptEvent.finished(
                message("run-t1", web1), "worker-a", false, AttemptResult.without(Outcome.STALLED, "")));
        store.record(AttemptEvent.finished(
                message("run-t1", web2), "worker-a", false, AttemptResult.without(Outcome.COMMAND_FAILED, "")));
        store.record(AttemptEvent.finished(
                message("run-t2", web1), "worker-a", false, AttemptResult.without(Outcome.CONNECT_FAILED, "")));
        store.record(AttemptEvent.finished(
                message("run-t2", web2), "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, "")));

        assertThat(store.transientFailures(Instant.now().minus(1, ChronoUnit.HOURS)))
                .isEqualTo(Map.of("web-01", 2));
        assertThat(store.transientFailures(Instant.now().plusSeconds(60))).isEmpty();
    }

    private RunRecord run(String runId) {
        return new RunRecord(
                runId,
                T0,
                T0.plus(1, ChronoUnit.HOURS),
                RunState.RUNNING,
                script.name(),
                script.sha256(),
                script.commands(),
                "deploy@10.0.0.5 name=web-01\n",
                "{\"deadline\":\"PT1H\"}",
                0,
                null,
                null);
    }

    /** A store on the database under test, taking at most {@code outputCap} of an attempt's output. */
    private RegistryStore storeWith(org.springframework.util.unit.DataSize outputCap, int rememberedEvents) {
        return new RegistryStore(
                JdbcClient.create(dataSource),
                new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                outputCap,
                rememberedEvents);
    }

    private InstallMessage message(String runId, NodeTarget node) {
        return InstallMessage.firstAttempt(runId, node, script, null, T0.plus(1, ChronoUnit.HOURS));
    }

    /** The node's second attempt, as a resurrection publishes it. */
    private InstallMessage secondAttempt(InstallMessage first, Instant deadline) {
        return new InstallMessage(
                first.schemaVersion(),
                AttemptIds.successor(
                        first.attemptId(), first.runId(), first.node().id(), 1),
                first.runId(),
                2,
                first.node(),
                script,
                null,
                deadline,
                List.of(),
                null,
                null);
    }

    private static AttemptEvent at(Instant at, AttemptEvent e) {
        return new AttemptEvent(
                e.schemaVersion(),
                e.type(),
                e.attemptId(),
                e.runId(),
                e.nodeId(),
                e.attempt(),
                at,
                e.worker(),
                e.redelivered(),
                e.result(),
                e.deadLetter(),
                e.executionId(),
                e.output());
    }
}
