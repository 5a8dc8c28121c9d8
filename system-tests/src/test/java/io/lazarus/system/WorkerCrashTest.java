package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workers killed with {@code kill -9} while they hold nodes: the broker gives the nodes to the next worker, and a node
 * whose message kills every worker that takes it ends dead-lettered by the delivery limit, recorded, and parked.
 */
class WorkerCrashTest {

    /** Low, so a poison message is found out after a few crashes; every process of this test declares the same. */
    private static final Map<String, String> TOPOLOGY = Map.of("LAZARUS_TOPOLOGY_DELIVERY_LIMIT", "2");

    @TempDir
    static Path dir;
    static RabbitBroker broker;
    static SimulatedFleet fleet;
    static ClientKey key;
    static LazarusCli lazarus;
    static Path script;
    static final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    static void system() throws Exception {
        broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        key = ClientKey.generate(dir);
        SimulatedFleet.Builder builder = SimulatedFleet.builder().authorizedKey(key.publicKeyLine());
        for (int i = 1; i <= 12; i++) {
            builder.node("crash-%02d".formatted(i), NodeBehavior.install(Duration.ofSeconds(3), 3));
        }
        builder.node("poison-01", NodeBehavior.install(Duration.ofMinutes(5), 5));
        fleet = builder.start();
        lazarus = new LazarusCli(broker).withEnvironment(TOPOLOGY);
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
    }

    /** Workers are killed, not stopped: a test that failed half way leaves no node in flight to the next one. */
    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (WorkerProcess worker : workers) {
            worker.kill();
        }
        workers.clear();
        SystemTests.freshTopology(broker);
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(null, fleet);
        SystemTests.freshTopology(broker);
    }

    @Test
    void nodesInFlightOnAKilledWorkerAreFinishedByTheNextOneEachWithOneFinalState() throws Exception {
        List<SimulatedNode> nodes = fleet.nodes().stream().filter(n -> n.id().startsWith("crash-")).toList();
        WorkerProcess first = startWorker();
        Path json = dir.resolve("crash.json");

        LazarusCli.Running run = lazarus.start("run", "--inventory", inventory("crash", nodes).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString());
        await(() -> nodes.stream().mapToInt(SimulatedNode::running).sum() >= 6, "six installs running");
        first.kill();
        startWorker();
        LazarusCli.Result result = run.await(Duration.ofMinutes(2));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("reconciliation").get("balanced").asBoolean()).isTrue();
        report.get("nodes").forEach(node -> {
            assertThat(node.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(node.get("attempts").asInt()).as("one final state per node").isEqualTo(1);
        });
        assertThat(nodes).allSatisfy(n -> assertThat(n.executions()).filteredOn(e -> e.ending() == Execution.Ending.EXITED)
                .as(n.id() + " installed once to the end").hasSize(1));
        assertThat(nodes.stream().filter(n -> n.executions().size() == 2).count())
                .as("nodes the killed worker held, run again by the next").isGreaterThanOrEqualTo(6);
    }

    @Test
    void aMessageThatKillsEveryWorkerEndsDeadLetteredByTheDeliveryLimitAndParked() throws Exception {
        SimulatedNode poison = fleet.node("poison-01");
        WorkerProcess worker = startWorker();
        Path json = dir.resolve("poison.json");

        LazarusCli.Running run = lazarus.start("run", "--inventory", inventory("poison", List.of(poison)).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--resurrect", "auto",
                "--resurrect-delay", "100ms");
        int kills = 0;
        while (run.process().isAlive() && kills < 6) {
            int taken = kills + 1;
            await(() -> poison.executions().size() >= taken || !run.process().isAlive(), "the poison taken again");
            if (!run.process().isAlive()) {
                break;
            }
            worker.kill();
            kills++;
            worker = startWorker();
        }
        LazarusCli.Result result = run.await(Duration.ofMinutes(1));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(kills).as("deliveries up to the limit of 2, each killing its worker").isBetween(2, 3);
        JsonNode node = Contracts.mapper().readTree(json.toFile()).get("nodes").get(0);
        assertThat(node.get("state").asString()).isEqualTo("QUARANTINED");
        assertThat(node.get("deadLetter").asString()).isEqualTo("delivery_limit");
        assertThat(node.get("verdict").asString()).startsWith("poison");
        assertThat(broker.messageCount(Topology.QUARANTINE_QUEUE)).isEqualTo(1);
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).as("not retried forever").isZero();
    }

    private static WorkerProcess startWorker() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(TOPOLOGY);
        settings.put("LAZARUS_WORKER_PREFETCH", "20");
        WorkerProcess worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), settings,
                List.of(), Processes.logs("system-tests"));
        workers.add(worker);
        return worker;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(until);
            Thread.sleep(20);
        }
    }

    private static Path inventory(String name, List<SimulatedNode> nodes) throws Exception {
        return Files.write(dir.resolve(name + ".inventory"), nodes.stream().map(n -> n.inventoryLine("deploy")).toList());
    }
}
