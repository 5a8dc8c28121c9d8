package io.lazarus.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.inventory.Inventories;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.NodeDefaults;
import io.lazarus.coordinator.report.Reconciliation;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ghost reconciliation against the manifest, with the clock in the test's hands. */
class RunTrackerTest {

    private static final Instant DEADLINE = Instant.parse("2026-11-21T12:00:00Z");
    private static final Duration NODE_TIME = Duration.ofMinutes(20);
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final List<InventoryNode> nodes =
            parse("a@10.0.0.1 name=queued", "a@10.0.0.2 name=silent", "a@10.0.0.3 name=held", "a@10.0.0.4 name=done");
    private final TestClock clock = new TestClock(DEADLINE.minus(Duration.ofMinutes(30)));
    private final RunTracker tracker =
            new RunTracker("run-1", nodes.stream().map(InventoryNode::target).toList(), clock);
    private final InstallScript script = InstallScript.of("s", "true");

    @Test
    void dispatchedNodesWithoutAnOutcomeBecomeGhostsOnlyOnceTheirTimeIsUp() {
        Set<String> dispatched = Set.of("queued", "silent", "done");
        AttemptEvent started = AttemptEvent.started(message("silent"), "worker-x", false);
        tracker.apply(new AttemptEvent(
                started.schemaVersion(),
                started.type(),
                started.attemptId(),
                started.runId(),
                started.nodeId(),
                started.attempt(),
                DEADLINE.minusSeconds(60),
                started.worker(),
                false,
                null,
                null,
                null));
        AttemptResult succeeded = AttemptResult.without(Outcome.SUCCEEDED, "");
        InstallMessage done = message("done");
        tracker.apply(AttemptEvent.finished(done, "worker-x", false, succeeded));
        tracker.cancel("held", "never released: canary failed");

        assertThat(tracker.reconcile(DEADLINE.plus(GRACE), dispatched, DEADLINE, NODE_TIME, GRACE))
                .isEmpty();
        assertThat(tracker.reconcile(DEADLINE.plus(GRACE).plusSeconds(1), dispatched, DEADLINE, NODE_TIME, GRACE))
                .containsExactly("queued");
        Instant silentUntil = DEADLINE.minusSeconds(60).plus(NODE_TIME).plus(GRACE);
        assertThat(tracker.reconcile(silentUntil, dispatched, DEADLINE, NODE_TIME, GRACE))
                .isEmpty();
        assertThat(tracker.reconcile(silentUntil.plusSeconds(1), dispatched, DEADLINE, NODE_TIME, GRACE))
                .containsExactly("silent");
        assertThat(tracker.complete(false)).isTrue();

        List<String> asked = new ArrayList<>();
        RunReport report = tracker.report(script, Map.of(), DEADLINE.minusSeconds(3600), silentUntil, 3, ids -> {
            asked.addAll(ids);
            return Map.of(done.attemptId(), succeeded);
        });
        assertThat(asked)
                .as("the tracker keeps a finished node's attempt id, the registry its result")
                .containsExactly(done.attemptId());
        assertThat(report.nodes().get(3).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.nodes())
                .extracting(n -> n.state())
                .containsExactly(NodeState.GHOST, NodeState.GHOST, NodeState.CANCELLED, NodeState.SUCCEEDED);
        assertThat(report.nodes().get(1).reason()).contains("worker-x", "went silent");
        Reconciliation books = report.reconciliation();
        assertThat(books.manifest()).isEqualTo(3);
        assertThat(books.ghosts()).isEqualTo(2);
        assertThat(books.neverReleased()).isEqualTo(1);
        assertThat(books.succeeded()).isEqualTo(1);
        assertThat(books.balanced()).isTrue();
    }

    @Test
    void booksThatDoNotAddUpSaySo() {
        RunReport report = tracker.report(script, Map.of(), DEADLINE, DEADLINE, 2, ids -> Map.of());

        assertThat(report.reconciliation().unfinished()).isZero();
        assertThat(report.reconciliation().ghosts())
                .as("nodes still open when the wait ended")
                .isEqualTo(4);
        assertThat(report.reconciliation().balanced())
                .as("4 ghosts against a manifest of 2")
                .isFalse();
    }

    @Test
    void aDeadLetteredNodeIsDueAfterTheDelayDoubledForEachResurrectionItHad() {
        Duration delay = Duration.ofSeconds(30);
        tracker.resurrected("queued", 3, 2);
        Instant deadLettered = clock.instant();
        tracker.apply(AttemptEvent.finished(
                "attempt-3",
                "run-1",
                "queued",
                3,
                "worker-x",
                false,
                AttemptResult.without(Outcome.CONNECT_FAILED, "refused").resurrectable(true)));

        assertThat(tracker.due(
                        "queued", 3, deadLettered.plus(Duration.ofMinutes(2)).minusMillis(1), delay))
                .isFalse();
        assertThat(tracker.due("queued", 3, deadLettered.plus(Duration.ofMinutes(2)), delay))
                .isTrue();
        assertThat(tracker.due("queued", 2, deadLettered.plus(Duration.ofHours(1)), delay))
                .as("an older attempt")
                .isFalse();
    }

    @Test
    void progressFollowsEveryMoveOfEveryNode() {
        tracker.apply(AttemptEvent.started(message("queued"), "worker-x", false));
        tracker.apply(AttemptEvent.finished(
                message("queued"),
                "worker-x",
                false,
                AttemptResult.without(Outcome.CONNECT_FAILED, "refused").resurrectable(true)));
        tracker.apply(AttemptEvent.started(message("silent"), "worker-x", false));
        AttemptEvent succeeded =
                AttemptEvent.finished(message("done"), "worker-x", false, AttemptResult.without(Outcome.SUCCEEDED, ""));
        tracker.apply(succeeded);
        tracker.apply(succeeded);
        tracker.cancel("held", "never released");

        RunTracker.Progress progress = tracker.progress();
        assertThat(progress.states())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        NodeState.RUNNING, 1,
                        NodeState.DEAD_LETTERED, 1,
                        NodeState.SUCCEEDED, 1,
                        NodeState.CANCELLED, 1));
        assertThat(progress.outcomes())
                .as("a duplicate outcome counts once")
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.CONNECT_FAILED, 1, Outcome.SUCCEEDED, 1));
        assertThat(progress.done()).isEqualTo(3);
        assertThat(tracker.anyDeadLettered()).isTrue();
        assertThat(tracker.complete(false)).as("one node still running").isFalse();

        tracker.resurrected("queued", 2, 1);
        assertThat(tracker.progress().states())
                .containsEntry(NodeState.PENDING, 1)
                .doesNotContainKey(NodeState.DEAD_LETTERED);
        assertThat(tracker.progress().outcomes())
                .as("a node that comes back has no outcome yet")
                .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.SUCCEEDED, 1));
        assertThat(tracker.anyDeadLettered()).isFalse();

        tracker.apply(AttemptEvent.finished(
                "attempt-2", "run-1", "queued", 2, "worker-y", false, AttemptResult.without(Outcome.SUCCEEDED, "")));
        assertThat(tracker.complete(false)).isFalse();
        // a started event carries the worker's own time
        Instant longAfterItStarted = Instant.now().plus(Duration.ofDays(1));
        assertThat(tracker.reconcile(longAfterItStarted, Set.of(), DEADLINE, NODE_TIME, GRACE))
                .containsExactly("silent");

        assertThat(tracker.progress().states())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(NodeState.SUCCEEDED, 2, NodeState.GHOST, 1, NodeState.CANCELLED, 1));
        assertThat(tracker.progress().outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.SUCCEEDED, 2));
        assertThat(tracker.complete(false)).isTrue();
    }

    private InstallMessage message(String nodeId) {
        InventoryNode node =
                nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst().orElseThrow();
        return InstallMessage.firstAttempt("run-1", node.target(), script, null, DEADLINE);
    }

    private static List<InventoryNode> parse(String... lines) {
        try {
            return Inventories.parse("inventory", String.join("\n", lines), new NodeDefaults("root", 22), null);
        } catch (io.lazarus.coordinator.inventory.InventoryException e) {
            throw new AssertionError(e);
        }
    }
}
