package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-run flow control, observed at the simulated nodes: what ran, when, and how many at once. */
class FlowControlTest {

    private static final Duration INSTALL = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static Path script;

    @BeforeAll
    static void system() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        SimulatedFleet.Builder builder = SimulatedFleet.builder().authorizedKey(key.publicKeyLine());
        for (int i = 1; i <= 12; i++) {
            builder.node("window-%02d".formatted(i), NodeBehavior.install(INSTALL, 5));
        }
        for (int i = 1; i <= 10; i++) {
            builder.node("budget-%02d".formatted(i), NodeBehavior.aptFailure());
        }
        builder.node("bad-canary", NodeBehavior.aptFailure());
        for (int i = 1; i <= 3; i++) {
            builder.node("held-%02d".formatted(i), NodeBehavior.succeed());
        }
        for (int i = 1; i <= 6; i++) {
            builder.node("canary-%02d".formatted(i), NodeBehavior.install(INSTALL, 5));
        }
        fleet = builder.start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"),
                Map.of("LAZARUS_WORKER_PREFETCH", "100"), List.of(), Processes.logs("system-tests"));
        lazarus = new LazarusCli(broker);
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
    }

    @Test
    void neverMoreThanMaxInFlightNodesRunAtOnce() throws Exception {
        List<SimulatedNode> nodes = nodes("window-");
        long started = System.nanoTime();

        LazarusCli.Running running = lazarus.start("run", "--inventory", inventory("window", nodes).toString(),
                "--script", script.toString(), "--wait", "--max-in-flight", "3");
        int mostAtOnce = 0;
        while (running.process().isAlive()) {
            mostAtOnce = Math.max(mostAtOnce, nodes.stream().mapToInt(SimulatedNode::running).sum());
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
        List<SimulatedNode> nodes = nodes("budget-");
        Path json = dir.resolve("budget.json");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("budget", nodes).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--max-in-flight", "2",
                "--max-failures", "3");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("release stopped (failure budget spent: ");
        long ran = nodes.stream().filter(n -> !n.executions().isEmpty()).count();
        // the fourth failure stops release; at most one more was in flight beside it
        assertThat(ran).isBetween(4L, 5L);
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("states").get("CANCELLED").asInt()).isEqualTo(10 - (int) ran);
        assertThat(report.get("states").get("FAILED").asInt()).isEqualTo((int) ran);
        assertThat(stream(report).filter(n -> n.get("state").asString().equals("CANCELLED")))
                .allSatisfy(n -> assertThat(n.get("reason").asString()).startsWith("never released: failure budget spent"));
    }

    @Test
    void aFailingCanaryHoldsBackTheRest() throws Exception {
        List<SimulatedNode> nodes = Stream.concat(Stream.of(fleet.node("bad-canary")), nodes("held-").stream()).toList();

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("canary-bad", nodes).toString(),
                "--script", script.toString(), "--wait", "--canary", "1");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("release stopped (canary failed: 1 of 1 canary node(s) did not succeed)");
        assertThat(nodes.subList(1, nodes.size())).allSatisfy(n -> assertThat(n.executions()).isEmpty());
    }

    @Test
    void aSucceedingCanaryReleasesTheRestAfterIt() throws Exception {
        List<SimulatedNode> nodes = nodes("canary-");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("canary-ok", nodes).toString(),
                "--script", script.toString(), "--wait", "--canary", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Instant lastCanaryStart = nodes.subList(0, 2).stream().map(n -> n.executions().getFirst().startedAt())
                .max(Comparator.naturalOrder()).orElseThrow();
        Instant firstOtherStart = nodes.subList(2, nodes.size()).stream().map(n -> n.executions().getFirst().startedAt())
                .min(Comparator.naturalOrder()).orElseThrow();
        // the rest start only after the canary's 1 s installs ended
        assertThat(Duration.between(lastCanaryStart, firstOtherStart)).isGreaterThan(INSTALL.minusMillis(100));
    }

    @Test
    void flowControlWithoutWaitIsRefused() throws Exception {
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("no-wait", nodes("window-")).toString(),
                "--script", script.toString(), "--max-in-flight", "2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--max-in-flight, --max-failures and --canary need --wait");
    }

    private static List<SimulatedNode> nodes(String prefix) {
        return fleet.nodes().stream().filter(n -> n.id().startsWith(prefix)).toList();
    }

    private static Stream<JsonNode> stream(JsonNode report) {
        List<JsonNode> nodes = new ArrayList<>();
        report.get("nodes").forEach(nodes::add);
        return nodes.stream();
    }

    private static Path inventory(String name, List<SimulatedNode> nodes) throws Exception {
        List<String> lines = new ArrayList<>();
        nodes.forEach(n -> lines.add(n.inventoryLine("deploy")));
        return Files.write(dir.resolve(name + ".inventory"), lines);
    }
}
