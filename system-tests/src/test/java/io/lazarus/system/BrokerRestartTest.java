package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.rabbit.RabbitNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker stopped and started in the middle of a run: workers and coordinator reconnect, and no node is lost. The
 * broker stopped is a node of this test's own, never the one the tests were given (others may be using it).
 */
class BrokerRestartTest {

    @TempDir
    static Path dir;
    static RabbitNode node;
    static SimulatedFleet fleet;
    static WorkerProcess worker;

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aRunSurvivesTheBrokerStoppedAndStartedWithEveryNodeAccountedFor() throws Exception {
        node = RabbitNode.builder().keepLogsIn(Processes.logs("system-tests")).start();
        RabbitBroker broker = node.broker();
        ClientKey key = ClientKey.generate(dir);
        SimulatedFleet.Builder builder = SimulatedFleet.builder().authorizedKey(key.publicKeyLine());
        for (int i = 1; i <= 10; i++) {
            builder.node("steady-%02d".formatted(i), NodeBehavior.install(Duration.ofSeconds(4), 4));
        }
        fleet = builder.start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"),
                Map.of("LAZARUS_WORKER_PREFETCH", "20"), List.of(), Processes.logs("system-tests"));
        Path inventory = Files.write(dir.resolve("steady.inventory"),
                fleet.nodes().stream().map(n -> n.inventoryLine("deploy")).toList());
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
        Path json = dir.resolve("steady.json");

        LazarusCli.Running run = new LazarusCli(broker).start("run", "--inventory", inventory.toString(), "--script",
                script.toString(), "--wait", "--json", json.toString(), "--resurrect", "auto", "--resurrect-delay", "1s");
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (fleet.nodes().stream().mapToInt(SimulatedNode::running).sum() < 5 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        node.stopApp();
        try {
            Thread.sleep(3_000);
        } finally {
            node.startApp();
        }
        LazarusCli.Result result = run.await(Duration.ofMinutes(3));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("reconciliation").get("balanced").asBoolean()).isTrue();
        assertThat(report.get("nodes")).hasSize(10);
        report.get("nodes").forEach(node -> assertThat(node.get("state").asString()).as(node.get("node").asString())
                .isEqualTo("SUCCEEDED"));
    }
}
