package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.report.LearnedStall;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a run learns from the registry's history of earlier runs, through the real broker, worker and command line:
 * its commands' stall timeouts, and which nodes to release first.
 */
class HistoryTest {

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                for (int i = 1; i <= 5; i++) {
                    fleet.node("quick-%02d".formatted(i), NodeBehavior.succeed());
                }
                fleet.node("stalls-01", NodeBehavior.stallAfter(1));
                for (int i = 1; i <= 6; i++) {
                    fleet.node("order-%02d".formatted(i), i % 3 == 0 ? NodeBehavior.flaky(1) : NodeBehavior.succeed());
                }
            })
            .cliEnvironment(Map.of(
                    "LAZARUS_HISTORY_LEARNED_STALL_MIN_SAMPLES", "5",
                    "LAZARUS_HISTORY_LEARNED_STALL_FLOOR", "1s"))
            .worker(Map.of("LAZARUS_WATCHDOG_COMMAND_RETRY_DELAY", "100ms"));

    @Test
    void afterEnoughSuccessfulRunsAStallingNodeIsTornDownAtTheLearnedTimeout() throws Exception {
        String script = system.script();
        LazarusCli.Result learning = system.lazarus(
                "run",
                "--inventory",
                system.inventory("quick", system.nodes("quick-")),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("learning"));
        assertThat(learning.exitCode()).as(learning.toString()).isZero();
        assertThat(system.report("learning").learnedStall())
                .as("no history yet")
                .isEmpty();

        long started = System.nanoTime();
        LazarusCli.Result stalled = system.lazarus(
                "run",
                "--inventory",
                system.inventory("stalls", "stalls-01"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("stalled"),
                "--stall-timeout",
                "30s",
                "--stall-retries",
                "0");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        RunReport report = system.report("stalled");
        assertThat(report.learnedStall()).containsExactly(new LearnedStall(0, 1000, 5));
        assertThat(stalled.stdout()).contains("stall timeout of command 1: 1.0s, learned from 5 successful run(s)");
        NodeReport node = report.nodes().getFirst();
        assertThat(node.outcome()).isEqualTo(Outcome.STALLED);
        assertThat(node.commands())
                .singleElement()
                .extracting(CommandResult::stallTimeoutMs, CommandResult::stallTimeoutLearned)
                .containsExactly(1000L, true);
        assertThat(took).as("held to the learned 1 s, not the run's 30 s").isLessThan(Duration.ofSeconds(20));

        LazarusCli.Result switchedOff = system.lazarus(
                "run",
                "--inventory",
                system.inventory("quick-again", "quick-01"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("off"),
                "--no-learned-stall");
        assertThat(switchedOff.exitCode()).as(switchedOff.toString()).isZero();
        assertThat(system.report("off").learnedStall()).isEmpty();
        assertThat(system.report("off").nodes().getFirst().commands().getFirst().stallTimeoutLearned())
                .isFalse();
    }

    @Test
    void historyOrderReleasesTheNodesThatFailedInPassingLatelyFirst() throws Exception {
        List<SimulatedNode> nodes = system.nodes("order-");
        String inventory = system.inventory("order", nodes);
        LazarusCli.Result flaky = system.lazarus(
                "run",
                "--inventory",
                inventory,
                "--script",
                system.script(),
                "--wait",
                "--order",
                "inventory",
                "--command-attempts",
                "1",
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "200ms");
        assertThat(flaky.exitCode()).as(flaky.toString()).isZero();
        Instant secondRun = Instant.now();

        LazarusCli.Result ordered = system.lazarus(
                "run",
                "--inventory",
                inventory,
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("ordered"),
                "--order",
                "history",
                "--max-in-flight",
                "1");

        assertThat(ordered.exitCode()).as(ordered.toString()).isZero();
        assertThat(system.report("ordered").states()).containsEntry(NodeState.SUCCEEDED, 6);
        List<String> released = nodes.stream()
                .flatMap(n -> n.executions().stream()
                        .filter(e -> e.startedAt().isAfter(secondRun))
                        .map(e -> Map.entry(n.id(), e)))
                .sorted(Comparator.comparing(e -> e.getValue().startedAt()))
                .map(Map.Entry::getKey)
                .toList();
        assertThat(released)
                .as("the two flaky nodes first, then the rest in inventory order")
                .containsExactlyElementsOf(
                        Stream.of("order-03", "order-06", "order-01", "order-02", "order-04", "order-05")
                                .toList());
    }
}
