package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A manual measurement, not part of the suite, of what runs gain from the registry's history.
 *
 * <p>Order: the makespan of a run over a simulated fleet of
 * {@code LAZARUS_ORDER_BENCHMARK_NODES} (100) nodes, every tenth of them flaky (its first command finds the dpkg lock
 * held: dead-lettered, resurrected after {@code --resurrect-delay 3s}), 1 s installs, {@code --max-in-flight 20},
 * released in inventory order and in history order, alternately, {@code LAZARUS_ORDER_BENCHMARK_ROUNDS} (2) times
 * each. Each run has a fresh fleet with the same node ids, so its flaky nodes fail again and the registry remembers
 * them from the runs before.
 *
 * <p>Learned stall timeouts: after a run of 20 nodes whose 1 s installs succeed (20 samples, the default
 * {@code min-samples}), a run of those 20 and 2 nodes that stall, with {@code --stall-timeout 30s --stall-retries 0},
 * with the learned timeouts and with {@code --no-learned-stall}.
 *
 * <p>Run it with {@code scripts/measure-history.sh}; it writes the numbers to
 * {@code system-tests/target/history-benchmark-*.txt}.
 */
// named without "Test" so the suite leaves it out; the script names it with -Dtest
class HistoryBenchmark {

    private static final Duration INSTALL = Duration.ofSeconds(1);

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create().worker(Map.of("LAZARUS_WORKER_PREFETCH", "100"));

    @Test
    void historyOrderAgainstInventoryOrder() throws Exception {
        int nodes = setting("LAZARUS_ORDER_BENCHMARK_NODES", 100);
        int rounds = setting("LAZARUS_ORDER_BENCHMARK_ROUNDS", 2);
        List<Double> inventory = new ArrayList<>();
        List<Double> history = new ArrayList<>();
        // the first run teaches the registry which nodes are flaky; it is measured as inventory order
        for (int round = 0; round < rounds; round++) {
            inventory.add(makespan(nodes, "inventory", round));
            history.add(makespan(nodes, "history", round));
        }
        String result = String.format(
                Locale.ROOT,
                "order benchmark: %d nodes, %d flaky (every tenth), %s installs, --max-in-flight 20,"
                        + " --resurrect auto --resurrect-delay 3s, one worker, %d cores%n"
                        + "  inventory order makespan (s): %s%n"
                        + "  history order makespan (s):   %s%n",
                nodes,
                nodes / 10,
                INSTALL,
                Runtime.getRuntime().availableProcessors(),
                inventory,
                history);
        System.out.print(result);
        Files.writeString(Path.of("target", "history-benchmark-order.txt"), result);
    }

    @Test
    void learnedStallTimeoutsAgainstTheConfiguredOne() throws Exception {
        SimulatedFleet fleet = freshFleet(builder -> {
            for (int i = 1; i <= 20; i++) {
                builder.node("steady-%02d".formatted(i), NodeBehavior.install(INSTALL, 5));
            }
            builder.node("stalls-1", NodeBehavior.stallAfter(1)).node("stalls-2", NodeBehavior.stallAfter(1));
        });
        String script = system.script();
        LazarusCli.Result learning = system.lazarus(
                "run",
                "--inventory",
                system.inventory("steady", system.nodes("steady-")),
                "--script",
                script,
                "--wait");
        assertThat(learning.exitCode()).as(learning.toString()).isZero();
        String inventory = system.inventory("all", fleet.nodes());
        List<String> stall = List.of("--stall-timeout", "30s", "--stall-retries", "0");
        String learned = stalling(inventory, script, "learned", stall);
        List<String> off = new ArrayList<>(stall);
        off.add("--no-learned-stall");
        String configured = stalling(inventory, script, "configured", off);
        String result = String.format(
                Locale.ROOT,
                "learned stall benchmark: 20 steady nodes (%s installs) learned from once, then a run of them and 2 that"
                        + " stall, --stall-timeout 30s --stall-retries 0, one worker, %d cores%n"
                        + "  learned:    %s%n"
                        + "  configured: %s%n",
                INSTALL,
                Runtime.getRuntime().availableProcessors(),
                learned,
                configured);
        System.out.print(result);
        Files.writeString(Path.of("target", "history-benchmark-stall.txt"), result);
    }

    private String stalling(String inventory, String script, String name, List<String> options) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("run", "--inventory", inventory, "--script", script, "--wait", "--json", system.json(name)));
        args.addAll(options);
        system.lazarus(args.toArray(String[]::new));
        RunReport report = system.report(name);
        NodeReport stalled = report.nodes().stream()
                .filter(n -> n.outcome() == Outcome.STALLED)
                .findFirst()
                .orElseThrow();
        return String.format(
                Locale.ROOT,
                "makespan %.1f s, stalled nodes torn down after %.1f s (stall timeout %d ms%s)",
                report.elapsed().toMillis() / 1000.0,
                stalled.durationMs() / 1000.0,
                stalled.commands().getFirst().stallTimeoutMs(),
                report.learnedStall().isEmpty()
                        ? ""
                        : ", learned from " + report.learnedStall().getFirst().samples() + " samples");
    }

    private SimulatedFleet freshFleet(java.util.function.Consumer<SimulatedFleet.Builder> nodes) throws Exception {
        if (system.fleet() != null) {
            system.fleet().close();
        }
        return system.startFleet(nodes);
    }

    private double makespan(int nodes, String order, int round) throws Exception {
        SimulatedFleet fleet = freshFleet(builder -> {
            for (int i = 1; i <= nodes; i++) {
                builder.node(
                        "node-%04d".formatted(i),
                        i % 10 == 0 ? NodeBehavior.flaky(1) : NodeBehavior.install(INSTALL, 5));
            }
        });
        String name = order + "-" + round;
        LazarusCli.Result run = system.lazarus(
                "run",
                "--inventory",
                system.inventory(name, fleet.nodes()),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json(name),
                "--order",
                order,
                "--max-in-flight",
                "20",
                "--command-attempts",
                "1",
                "--resurrect",
                "auto",
                "--resurrect-delay",
                "3s");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return system.report(name).elapsed().toMillis() / 1000.0;
    }

    private static int setting(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }
}
