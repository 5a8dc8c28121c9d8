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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A coordinator killed with SIGKILL in the middle of a run; {@code lazarus watch} takes the run up and finishes it. */
class ResumeTest {

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;
    static WorkerProcess worker;

    @BeforeAll
    static void system() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .nodes(8, NodeBehavior.install(Duration.ofMillis(1500), 6)).start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"),
                Map.of("LAZARUS_WORKER_PREFETCH", "100"), List.of(), Processes.logs("system-tests"));
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
    }

    @Test
    void aRunWhoseCoordinatorWasKilledIsResumedAndEveryNodeIsAccountedForOnce() throws Exception {
        LazarusCli lazarus = new LazarusCli(RabbitBroker.shared());
        Path inventory = fleet.writeInventory(dir.resolve("hosts"), "deploy");
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
        Path json = dir.resolve("resumed.json");

        LazarusCli.Running first = lazarus.start("run", "--inventory", inventory.toString(), "--script",
                script.toString(), "--wait", "--max-in-flight", "2");
        SystemTests.awaitTrue("the run gets going",
                () -> fleet.nodes().stream().filter(n -> !n.executions().isEmpty()).count() >= 2, Duration.ofSeconds(60));
        first.process().destroyForcibly().waitFor();
        String runId = Files.readAllLines(first.out(), StandardCharsets.UTF_8).getFirst().substring("run ".length());
        long ranBeforeTheKill = fleet.nodes().stream().filter(n -> !n.executions().isEmpty()).count();

        LazarusCli.Result resumed = lazarus.run("watch", runId, "--json", json.toString());

        assertThat(ranBeforeTheKill).as("the kill came mid-run").isLessThan(8);
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stdout()).contains("resuming run " + runId);
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("states").toString()).isEqualTo("{\"SUCCEEDED\":8}");
        assertThat(report.get("reconciliation").get("manifest").asInt()).isEqualTo(8);
        assertThat(report.get("reconciliation").get("balanced").asBoolean()).isTrue();
        for (SimulatedNode node : fleet.nodes()) {
            assertThat(node.executions()).as(node.id() + " ran once").hasSize(1);
        }
        LazarusCli.Result again = lazarus.run("watch", runId);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("has ended; its report from the registry");
    }
}
