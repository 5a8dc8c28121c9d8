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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI pattern: enqueue a run without {@code --wait} and leave. Later {@code status}, {@code report} and
 * {@code watch} tell what happened, though nobody followed the run while it ran; and a report that could not be
 * written is refused before anything is published.
 */
class EnqueueAndLeaveTest {

    @TempDir
    static Path dir;
    static RabbitBroker broker;
    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static Path script;

    @BeforeAll
    static void system() throws Exception {
        broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("left-1", NodeBehavior.succeed()).node("left-2", NodeBehavior.succeed())
                .node("watched-1", NodeBehavior.succeed()).node("watched-2", NodeBehavior.aptFailure())
                .node("never", NodeBehavior.succeed())
                .start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), Map.of(),
                List.of(), Processes.logs("system-tests"));
        lazarus = new LazarusCli(broker);
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
    }

    @Test
    void statusAndReportTellWhatARunNobodyFollowedDid() throws Exception {
        LazarusCli.Result enqueued = lazarus.run("run", "--inventory", inventory("left", "left-1", "left-2").toString(),
                "--script", script.toString());
        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
        String runId = enqueued.runId();
        awaitEvents(runId, 4);

        LazarusCli.Result status = lazarus.run("status", runId);
        Path json = dir.resolve("left.json");
        LazarusCli.Result report = lazarus.run("report", runId, "--json", json.toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).contains("by state:   SUCCEEDED 2", "by outcome: SUCCEEDED 2",
                "nobody follows run " + runId, "lazarus watch " + runId);
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.stdout()).contains("SUCCEEDED               2").doesNotContain("PENDING");
        for (JsonNode node : Contracts.mapper().readTree(json.toFile()).get("nodes")) {
            assertThat(node.get("state").asString()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void watchLaterReceivesEveryEventOfARunEnqueuedWithoutWait() throws Exception {
        LazarusCli.Result enqueued = lazarus.run("run", "--inventory",
                inventory("watched", "watched-1", "watched-2").toString(), "--script", script.toString());
        String runId = enqueued.runId();
        awaitEvents(runId, 4);
        Path json = dir.resolve("watched.json");

        LazarusCli.Result watched = lazarus.run("watch", runId, "--json", json.toString());

        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(1);
        assertThat(watched.stdout()).contains("SUCCEEDED               1", "COMMAND_FAILED          1",
                "final (not resurrected): 1 node(s): watched-2");
        assertThat(Contracts.mapper().readTree(json.toFile()).get("summary").toString())
                .isEqualTo("{\"SUCCEEDED\":1,\"COMMAND_FAILED\":1}");
        assertThat(lazarus.run("status", runId).stdout()).contains("FINISHED");
    }

    @Test
    void anUnwritableReportPathIsRefusedBeforeAnythingIsPublished() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

        LazarusCli.Result json = lazarus.run("run", "--inventory", inventory("never", "never").toString(), "--script",
                script.toString(), "--wait", "--json", notADirectory.resolve("report.json").toString());
        LazarusCli.Result junit = lazarus.run("run", "--inventory", inventory("never", "never").toString(), "--script",
                script.toString(), "--wait", "--junit", dir.toString());

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(2);
        assertThat(json.stderr().strip()).isEqualTo("lazarus: --json " + notADirectory.resolve("report.json")
                + ": cannot be written: " + notADirectory + " is not a directory");
        assertThat(junit.exitCode()).as(junit.toString()).isEqualTo(2);
        assertThat(junit.stderr()).contains("--junit " + dir + ": is a directory");
        assertThat(json.stdout() + junit.stdout()).as("no run was started").isEmpty();
        Thread.sleep(1000);
        assertThat(fleet.node("never").executions()).isEmpty();
    }

    @Test
    void jsonDashWritesTheReportToStandardOutput() throws Exception {
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("dash", "left-1").toString(), "--script",
                script.toString(), "--wait", "--json", "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = Contracts.mapper().readTree(result.stdout());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1}");
        assertThat(result.stderr()).startsWith("run " + report.get("runId").asString()).contains("SUCCEEDED               1");
        assertThat(Files.exists(Path.of("-"))).isFalse();
    }

    /** Waits until the run's queue holds {@code count} events: every node started and finished. */
    private static void awaitEvents(String runId, int count) throws InterruptedException {
        SystemTests.awaitTrue("the run's events", () -> broker.messageCount("lazarus.run." + runId) >= count,
                Duration.ofSeconds(60));
    }

    private static Path inventory(String name, String... ids) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String id : ids) {
            SimulatedNode node = fleet.node(id);
            lines.add(node.inventoryLine("deploy"));
        }
        return Files.write(dir.resolve(name + ".inventory"), lines);
    }
}
