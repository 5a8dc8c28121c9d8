package io.lazarus.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.coordinator.history.FleetHistory;
import io.lazarus.coordinator.history.HistoryProperties;
import io.lazarus.coordinator.history.RunHistory;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.Inventories;
import io.lazarus.coordinator.inventory.InventoryException;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.NodeDefaults;
import io.lazarus.coordinator.registry.CommandResults;
import io.lazarus.coordinator.registry.InMemoryRegistry;
import io.lazarus.coordinator.registry.Lease;
import io.lazarus.coordinator.registry.LeaseLost;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.report.LearnedStall;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.testkit.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Follow, resume, flow control, ghost reconciliation and automatic resurrection, with a real registry, the broker and
 * the workers in memory, and the clock in the test's hands: a wait moves the clock, nothing sleeps.
 */
class RunServiceTest {

    private static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration DEADLINE = Duration.ofMinutes(1);
    private static final Duration NODE_TIME = Duration.ofMinutes(2);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final TestClock clock = new TestClock(START);
    private final RegistryStore registry = InMemoryRegistry.create();
    private final InMemoryRunEvents events = new InMemoryRunEvents(clock, registry);
    private final ScriptedWorkers workers = new ScriptedWorkers(clock, registry, events);
    private final InMemoryCandidates candidates = new InMemoryCandidates(workers, registry, clock);
    private final Following following = new Following();
    private final RunService runs = new RunService(
            workers,
            new CoordinatorMetrics(new SimpleMeterRegistry(), registry),
            registry,
            candidates,
            events,
            workers,
            workers,
            clock,
            ReplicaProperties.defaults(),
            new FleetHistory(registry, HistoryProperties.defaults(), clock),
            following);
    private final List<String> lines = new ArrayList<>();
    private final InstallScript script = InstallScript.of("install.sh", "true");

    @AfterEach
    void theOrderThatSurvivesACrashWasKept() {
        assertThat(workers.publishedUnrecorded())
                .as("published before its release was recorded")
                .isEmpty();
        assertThat(events.acknowledgedUnrecorded())
                .as("acknowledged before it was recorded")
                .isEmpty();
    }

    @Test
    void aFollowedRunEndsAsSoonAsEveryNodeHasAnOutcomeAndIsRecordedSo() throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.NONE, null), "ok-1", "ok-2", "fail-1");

        assertThat(states(report)).containsExactly(NodeState.SUCCEEDED, NodeState.SUCCEEDED, NodeState.FAILED);
        assertThat(report.reconciliation().manifest()).isEqualTo(3);
        assertThat(report.reconciliation().balanced()).isTrue();
        assertThat(events.acknowledged()).hasSize(6);
        assertThat(registry.run("run-1").orElseThrow().finishedAt()).isEqualTo(report.finishedAt());
        assertThat(registry.nodes("run-1", Optional.empty()))
                .extracting(NodeRecord::state)
                .containsExactly(NodeState.SUCCEEDED, NodeState.SUCCEEDED, NodeState.FAILED);
        assertThat(clock.instant()).as("no wait for outcomes already there").isEqualTo(START);
        assertThat(lines).anyMatch(l -> l.contains("3/3 done (SUCCEEDED 2, COMMAND_FAILED 1)"));
        assertThat(runs.resume("run-1", lines::add))
                .as("a run that ended is not taken up")
                .isNull();
    }

    @Test
    void aLargeRunIsReleasedAWindowAtATimeEachRecordedBeforeItIsPublished() throws InterruptedException {
        String[] ids =
                IntStream.rangeClosed(1, 1200).mapToObj("ok-%04d"::formatted).toArray(String[]::new);

        RunReport report = run("run-1", options(FlowControl.NONE, null), ids);

        assertThat(states(report)).containsOnly(NodeState.SUCCEEDED).hasSize(1200);
        assertThat(workers.publishedNodes()).containsExactly(ids);
        // the first messages do not wait for the last to be recorded; none goes out before its own release
        // (checked after each test)
        assertThat(workers.releasedAtPublish()).containsExactly(500L, 1000L, 1200L);
    }

    @Test
    void withMaxInFlightNoMoreNodesThanThatAreOutAtOnce() throws InterruptedException {
        RunReport report =
                run("run-1", options(FlowControl.of(2, null, null), null), "ok-1", "ok-2", "ok-3", "ok-4", "ok-5");

        assertThat(states(report)).containsOnly(NodeState.SUCCEEDED).hasSize(5);
        assertThat(workers.mostInFlight()).isEqualTo(2);
    }

    @Test
    void aFailedCanaryCancelsEveryNodeNeverReleased() throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.of(null, null, 1), null), "fail-1", "ok-1", "ok-2");

        assertThat(states(report)).containsExactly(NodeState.FAILED, NodeState.CANCELLED, NodeState.CANCELLED);
        assertThat(workers.publishedNodes()).containsExactly("fail-1");
        assertThat(report.reconciliation().manifest()).isEqualTo(1);
        assertThat(registry.nodes("run-1", Optional.of(NodeState.CANCELLED))).hasSize(2);
        assertThat(lines)
                .contains("release stopped (canary failed: 1 of 1 canary node(s) did not succeed): 2 node(s)"
                        + " never released are CANCELLED");
    }

    @Test
    void aReleasedNodeNoWorkerStartsIsAGhostOnceTheRunsDeadlineAndGraceHavePassed() throws InterruptedException {
        workers.consumers(0);

        RunReport report = run("run-1", options(FlowControl.NONE, null), "ok-1", "lost-1");

        assertThat(states(report)).containsExactly(NodeState.SUCCEEDED, NodeState.GHOST);
        assertThat(report.nodes().get(1).reason()).contains("no worker started it by the run's deadline");
        assertThat(registry.node("run-1", "lost-1").orElseThrow().state()).isEqualTo(NodeState.GHOST);
        assertThat(clock.instant())
                .as("reconciled within a second of its time, not at the end of the wait")
                .isAfter(START.plus(DEADLINE).plus(GRACE))
                .isBefore(START.plus(DEADLINE).plus(GRACE).plusMillis(1500));
        assertThat(lines)
                .contains(
                        "warning: " + InstallConsumers.NONE,
                        "1 node(s) reconciled as GHOST: dispatched, and no outcome will come");
    }

    @Test
    void aNodeWhoseWorkerWentSilentIsAGhostOnceItsNodeTimeAndGraceHavePassed() throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.NONE, null), "silent-1");

        assertThat(states(report)).containsExactly(NodeState.GHOST);
        assertThat(report.nodes().getFirst().reason()).contains(ScriptedWorkers.WORKER, "went silent");
        assertThat(clock.instant())
                .isAfter(START.plus(NODE_TIME).plus(GRACE))
                .isBefore(START.plus(NODE_TIME).plus(GRACE).plusMillis(1500));
    }

    @Test
    void withoutWaitingEveryNodeIsPublishedAndTheRunsEventsAreKeptForLater() throws InterruptedException {
        workers.consumers(0);
        RunOptions options = options(FlowControl.NONE, null);
        options = new RunOptions(
                false,
                options.deadline(),
                options.maxNodeTime(),
                null,
                options.flow(),
                options.ghostGrace(),
                options.progressInterval(),
                null,
                List.of(),
                null,
                List.of(),
                null);

        RunReport report = runs.run("run-1", nodes("ok-1", "ok-2"), "inventory", script, options, lines::add);

        assertThat(report).isNull();
        assertThat(events.kept("run-1")).isTrue();
        assertThat(workers.publishedNodes()).containsExactly("ok-1", "ok-2");
        assertThat(events.acknowledged()).as("nobody follows it").isEmpty();
        assertThat(lines).contains("published 2/2 (confirmed by the broker)", "warning: " + InstallConsumers.NONE);
    }

    @Test
    void aResumedRunRecordsWhatItsPredecessorLeftInTheQueueAndReleasesOnlyTheRest() throws InterruptedException {
        Lease lease = runs.register(
                "run-1", nodes("ok-1", "ok-2", "ok-3"), "inventory", script, options(FlowControl.NONE, null));
        // the predecessor released ok-1 and died before it took the node's events
        InstallMessage first = InstallMessage.firstAttempt(
                "run-1",
                registry.node("run-1", "ok-1").orElseThrow().target(),
                script,
                null,
                registry.run("run-1").orElseThrow().deadline());
        registry.recordReleasing("run-1", List.of(first), clock.instant());
        workers.answer(first);

        RunReport report = runs.resume(lease, lines::add);

        assertThat(lines.getFirst()).isEqualTo("resuming run run-1: 1 of 3 node(s) released, 0 with an outcome");
        assertThat(states(report)).containsOnly(NodeState.SUCCEEDED).hasSize(3);
        assertThat(workers.publishedNodes()).as("ok-1 is not published twice").containsExactly("ok-2", "ok-3");
        assertThat(report.reconciliation().manifest()).isEqualTo(3);
        assertThat(registry.attempts("run-1", "ok-1"))
                .extracting(a -> a.outcome())
                .containsExactly(Outcome.SUCCEEDED);
    }

    @Test
    void aDeadLetteredNodeComesBackOnlyOnceItsDelayHasPassed() throws InterruptedException {
        Duration delay = Duration.ofSeconds(30);

        RunReport report = run("run-1", options(FlowControl.NONE, delay), "flaky-1", "ok-1");

        NodeReport flaky = report.nodes().getFirst();
        assertThat(flaky.state()).isEqualTo(NodeState.SUCCEEDED);
        assertThat(flaky.resurrections()).isEqualTo(1);
        assertThat(candidates.resurrectedAt().get("flaky-1"))
                .as("dead-lettered at the start, then checked each second")
                .isAfterOrEqualTo(START.plus(delay))
                .isBefore(START.plus(delay).plusMillis(1500));
        assertThat(workers.publishedNodes()).containsExactly("flaky-1", "ok-1", "flaky-1");
        assertThat(lines).anyMatch(l -> l.startsWith("run-1 flaky-1 attempt 1 (rejected): resurrected as attempt 2"));
    }

    @Test
    void aRunThatDoesNotResurrectItselfLeavesItsCandidatesAndEndsWhenTheBrokersReasonIsKnown()
            throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.NONE, null), "flaky-1");

        assertThat(states(report)).containsExactly(NodeState.DEAD_LETTERED);
        assertThat(report.nodes().getFirst().deadLetter()).isEqualTo("rejected");
        assertThat(workers.candidates()).hasSize(1);
        assertThat(clock.instant()).isEqualTo(START);
    }

    @Test
    void aDetachedFollowerStopsAndLeavesTheRunRunning() {
        following.detach();

        assertThatThrownBy(() -> run("run-1", options(FlowControl.NONE, null), "lost-1"))
                .isInstanceOf(RunService.RunDetached.class);
        assertThat(registry.run("run-1").orElseThrow().finishedAt()).isNull();
        assertThat(following.active()).isFalse();
    }

    @Test
    void aRunCancelledBeforeItsFollowerTookItUpReleasesNothing() throws InterruptedException {
        Lease lease =
                runs.register("run-1", nodes("ok-1", "ok-2"), "inventory", script, options(FlowControl.NONE, null));
        assertThat(registry.requestCancel("run-1")).isTrue();

        RunReport report = runs.resume(lease, lines::add);

        assertThat(states(report)).containsExactly(NodeState.CANCELLED, NodeState.CANCELLED);
        assertThat(workers.publishedNodes()).isEmpty();
        assertThat(lines).contains("release stopped (the run was cancelled): 2 node(s) never released are CANCELLED");
    }

    @Test
    void aRunCancelledWhileItsNodesAreQueuedTellsTheWorkersAndItsQueuedNodesEndCancelled() throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.NONE, null), "cancels-1", "queued-1", "queued-2");

        assertThat(states(report)).containsExactly(NodeState.SUCCEEDED, NodeState.CANCELLED, NodeState.CANCELLED);
        assertThat(report.nodes().get(1).reason()).isEqualTo("run cancelled before this node started");
        assertThat(report.reconciliation().cancelled()).isEqualTo(2);
        assertThat(report.reconciliation().manifest()).isEqualTo(3);
        assertThat(report.reconciliation().balanced()).isTrue();
        assertThat(workers.notices()).containsExactly("run-1");
        assertThat(lines).anyMatch(l -> l.startsWith("run cancelled: workers run none of its queued nodes"));
    }

    @Test
    void theCancelNoticeIsRepeatedWhileTheRunGoesOnSoAWorkerThatStartsLaterHearsIt() throws InterruptedException {
        RunReport report = run("run-1", options(FlowControl.NONE, null), "cancels-1", "lost-1");

        assertThat(states(report)).containsExactly(NodeState.SUCCEEDED, NodeState.GHOST);
        // from the cancel until the lost node is a ghost, past the deadline and its grace: at most one every 2 s
        int most = (int) DEADLINE.plus(GRACE).dividedBy(CancelNotice.REPEAT) + 1;
        assertThat(workers.notices()).hasSizeBetween(most * 3 / 4, most);
    }

    @Test
    void cancellingTellsTheWorkersAtOnceAndOnlyARunningRun() {
        runs.register("run-1", nodes("queued-1"), "inventory", script, options(FlowControl.NONE, null));

        assertThat(runs.cancel("run-1")).isTrue();
        assertThat(runs.cancel("run-1")).as("cancelled already").isFalse();
        assertThat(runs.cancel("run-2")).as("no such run").isFalse();

        assertThat(workers.notices()).containsExactly("run-1");
    }

    @Test
    void aFollowerWhoseLeaseAnotherReplicaTookPublishesNothingAndLeavesTheRunToIt() {
        Lease lease =
                runs.register("run-1", nodes("ok-1", "ok-2"), "inventory", script, options(FlowControl.NONE, null));
        Instant expired = clock.instant().plus(Duration.ofMinutes(1));
        Lease taken = registry.acquireLease("run-1", "another-replica", expired, expired.plusSeconds(15))
                .orElseThrow();

        assertThatThrownBy(() -> runs.resume(lease, lines::add))
                .isInstanceOf(LeaseLost.class)
                .hasMessageContaining("lost the lease of run run-1 (epoch 1)");

        assertThat(workers.publishedNodes()).isEmpty();
        assertThat(registry.nodes("run-1", Optional.empty()))
                .extracting(NodeRecord::dispatchedAttemptId)
                .containsOnlyNulls();
        assertThat(registry.leaseHolder("run-1").orElseThrow().epoch()).isEqualTo(taken.epoch());
        assertThat(registry.run("run-1").orElseThrow().finishedAt()).isNull();
    }

    @Test
    void aNodeThatFailedInPassingInAnEarlierRunIsReleasedFirstButNeverBeforeTheCanary() throws InterruptedException {
        RunOptions resurrecting = options(FlowControl.NONE, Duration.ofSeconds(5));
        run("run-1", resurrecting, "ok-1", "ok-2", "flaky-1");
        RunOptions history = resurrecting.withHistory(new RunHistory(RunOrder.HISTORY, null, List.of()));
        RunOptions canary = options(new FlowControl(0, null, null, 1), Duration.ofSeconds(5))
                .withHistory(new RunHistory(RunOrder.HISTORY, null, List.of()));

        int before = workers.publishedNodes().size();
        RunReport second = run("run-2", history, "ok-1", "ok-2", "flaky-1");
        List<String> secondReleased = workers.publishedNodes().subList(before, before + 3);
        before = workers.publishedNodes().size();
        run("run-3", canary, "ok-1", "ok-2", "flaky-1");
        List<String> thirdReleased = workers.publishedNodes().subList(before, before + 3);

        assertThat(secondReleased).containsExactly("flaky-1", "ok-1", "ok-2");
        assertThat(second.nodes()).extracting(NodeReport::node).startsWith("flaky-1");
        assertThat(thirdReleased).containsExactly("ok-1", "flaky-1", "ok-2");
    }

    @Test
    void aRunCarriesTheStallTimeoutsLearnedFromTheRegistryInItsMessagesAndNamesThemInItsReport()
            throws InterruptedException {
        // 20 successful runs of the script's one command, silent for 1.00 to 5.75 s at most
        List<InventoryNode> earlier =
                nodes(IntStream.rangeClosed(1, 20).mapToObj(i -> "ok-" + i).toArray(String[]::new));
        registry.createRun(
                new RunRecord(
                        "earlier",
                        START,
                        START.plus(DEADLINE),
                        RunState.FINISHED,
                        script.name(),
                        script.sha256(),
                        script.commands(),
                        "inventory",
                        "{}",
                        earlier.size(),
                        null,
                        null),
                earlier.stream().map(InventoryNode::target).toList());
        for (int i = 0; i < earlier.size(); i++) {
            long silence = 1000 + 250L * i;
            registry.record(AttemptEvent.finished(
                    InstallMessage.firstAttempt("earlier", earlier.get(i).target(), script, null, START.plus(DEADLINE)),
                    ScriptedWorkers.WORKER,
                    false,
                    CommandResults.withCommands(Outcome.SUCCEEDED, CommandResults.command(0, 0, silence))));
        }

        RunReport learned = run(
                "run-1",
                options(FlowControl.NONE, null).withHistory(new RunHistory(RunOrder.HISTORY, null, List.of())),
                "ok-1");
        Watchdog sent = workers.published().getLast().watchdog();
        RunReport off = run(
                "run-2",
                options(FlowControl.NONE, null).withHistory(new RunHistory(RunOrder.HISTORY, false, List.of())),
                "ok-1");

        // the largest of 20 samples, 5.75 s, twice
        assertThat(learned.learnedStall()).containsExactly(new LearnedStall(0, 11_500, 20));
        assertThat(sent.learnedStall()).containsExactly(Map.entry(0, Duration.ofMillis(11_500)));
        assertThat(off.learnedStall()).isEmpty();
        assertThat(workers.published().getLast().watchdog().learnedStall()).isEmpty();
    }

    private RunReport run(String runId, RunOptions options, String... nodeIds) throws InterruptedException {
        return runs.run(runId, nodes(nodeIds), "inventory", script, options, lines::add);
    }

    private static RunOptions options(FlowControl flow, Duration resurrectDelay) {
        return new RunOptions(
                true,
                DEADLINE,
                NODE_TIME,
                null,
                flow,
                GRACE,
                Duration.ofSeconds(2),
                resurrectDelay,
                List.of(),
                null,
                List.of(),
                null);
    }

    private static List<NodeState> states(RunReport report) {
        return report.nodes().stream().map(NodeReport::state).toList();
    }

    private static List<InventoryNode> nodes(String... ids) {
        try {
            return Inventories.parse(
                    "inventory",
                    String.join(
                            "\n",
                            IntStream.range(0, ids.length)
                                    .mapToObj(i -> "root@10.0.%d.%d name=%s".formatted(i / 250, i % 250 + 1, ids[i]))
                                    .toList()),
                    new NodeDefaults("root", 22),
                    null);
        } catch (InventoryException e) {
            throw new AssertionError(e);
        }
    }
}
