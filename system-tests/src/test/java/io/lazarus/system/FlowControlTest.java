package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.NodeState;
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

/** Per-run flow control, observed at the simulated nodes: what ran, when, and how many at once. */
class FlowControlTest {

    private static final Duration INSTALL = Duration.ofSeconds(1);

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                for (int i = 1; i <= 12; i++) {
                    fleet.node("window-%02d".formatted(i), NodeBehavior.install(INSTALL, 5));
                }
                for (int i = 1; i <= 10; i++) {
                    fleet.node("budget-%02d".formatted(i), NodeBehavior.aptFailure());
                }
                fleet.node("bad-canary", NodeBehavior.aptFailure());
                for (int i = 1; i <= 3; i++) {
                    fleet.node("held-%02d".formatted(i), NodeBehavior.succeed());
                }
                for (int i = 1; i <= 6; i++) {
                    fleet.node("canary-%02d".formatted(i), NodeBehavior.install(INSTALL, 5));
                }
            })
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "100"));

    @Test
    void neverMoreThanMaxInFlightNodesRunAtOnce() throws Exception {
        List<SimulatedNode> nodes = system.nodes("window-");
        long started = System.nanoTime();

        LazarusCli.Running running = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("window", nodes),
                        "--script",
                        system.script(),
                        "--wait",
                        "--max-in-flight",
                        "3");
        int mostAtOnce = 0;
        while (running.process().isAlive()) {
            mostAtOnce = Math.max(
                    mostAtOnce, nodes.stream().mapToInt(SimulatedNode::running).sum());
            Thread.sleep(10);
        }
        LazarusCli.Result result = running.await();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(mostAtOnce).as("installs running at once").isBetween(1, 3);
        assertThat(nodes).allSatisfy(n -> assertThat(n.executions()).hasSize(1));
        // 12 installs of 1 s, 3 at a time: at least four rounds
        assertThat(took).isGreaterThan(INSTALL.multipliedBy(4));
    }

    @Test
    void releaseStopsOnceTheFailureBudgetIsSpentAndTheRestAreCancelled() throws Exception {
        List<SimulatedNode> nodes = system.nodes("budget-");

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("budget", nodes),
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("budget"),
                "--max-in-flight",
                "2",
                "--max-failures",
                "3");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("release stopped (failure budget spent: ");
        int ran = (int) nodes.stream().filter(n -> !n.executions().isEmpty()).count();
        // the fourth failure stops release; at most one more was in flight beside it
        assertThat(ran).isBetween(4, 5);
        RunReport report = system.report("budget");
        assertThat(report.states()).containsEntry(NodeState.CANCELLED, 10 - ran).containsEntry(NodeState.FAILED, ran);
        assertThat(report.nodes())
                .filteredOn(n -> n.state() == NodeState.CANCELLED)
                .allSatisfy(n -> assertThat(n.reason()).startsWith("never released: failure budget spent"));
    }

    @Test
    void aFailingCanaryHoldsBackTheRest() throws Exception {
        List<SimulatedNode> held = system.nodes("held-");
        List<SimulatedNode> nodes = Stream.concat(Stream.of(system.fleet().node("bad-canary")), held.stream())
                .toList();

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("canary-bad", nodes),
                "--script",
                system.script(),
                "--wait",
                "--canary",
                "1");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("release stopped (canary failed: 1 of 1 canary node(s) did not succeed)");
        assertThat(held).allSatisfy(n -> assertThat(n.executions()).isEmpty());
        assertThat(system.lazarus("status", result.runId()).stdout())
                .as("the registry keeps why")
                .contains("release stopped: canary failed: 1 of 1 canary node(s) did not succeed");
    }

    @Test
    void aSucceedingCanaryReleasesTheRestAfterIt() throws Exception {
        List<SimulatedNode> nodes = system.nodes("canary-");

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("canary-ok", nodes),
                "--script",
                system.script(),
                "--wait",
                "--canary",
                "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Instant lastCanaryStart = nodes.subList(0, 2).stream()
                .map(n -> n.executions().getFirst().startedAt())
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Instant firstOtherStart = nodes.subList(2, nodes.size()).stream()
                .map(n -> n.executions().getFirst().startedAt())
                .min(Comparator.naturalOrder())
                .orElseThrow();
        // the rest start only after the canary's 1 s installs ended
        assertThat(Duration.between(lastCanaryStart, firstOtherStart)).isGreaterThan(INSTALL.minusMillis(100));
    }

    @Test
    void flowControlWithoutWaitIsRefused() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("no-wait", system.nodes("window-")),
                "--script",
                system.script(),
                "--max-in-flight",
                "2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--max-in-flight, --max-failures and --canary need --wait");
    }
}
