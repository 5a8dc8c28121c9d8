package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
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
import org.junit.jupiter.api.BeforeEach;
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
 * Dead-lettering and resurrection through the real broker, worker and command line: the worker dead-letters what is
 * worth another try, the gatekeeper brings it back or parks it, and nothing loops.
 */
class ResurrectionTest {

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
                .node("flaky-01", NodeBehavior.flaky(1))
                .node("flaky-02", NodeBehavior.flaky(1))
                .node("flaky-03", NodeBehavior.flaky(1))
                .node("refuses-01", NodeBehavior.refuseConnection())
                .node("rejects-auth-01", NodeBehavior.rejectAuth())
                .node("refuses-a", NodeBehavior.refuseConnection())
                .node("refuses-b", NodeBehavior.refuseConnection())
                .start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), Map.of(
                "LAZARUS_SSH_CONNECT_ATTEMPTS", "1",
                "LAZARUS_WATCHDOG_COMMAND_RETRY_DELAY", "100ms"), List.of(), Processes.logs("system-tests"));
        lazarus = new LazarusCli(broker);
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
        SystemTests.freshTopology(broker);
    }

    /** Each test starts with no candidate and nothing parked, whatever the one before it left. */
    @BeforeEach
    void emptyDeadLetterQueues() throws Exception {
        purge(Topology.RESURRECTION_QUEUE);
        purge(Topology.QUARANTINE_QUEUE);
    }

    @Test
    void flakyNodesSucceedAfterOneResurrection() throws Exception {
        Path json = dir.resolve("flaky.json");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("flaky", "flaky-").toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--command-attempts", "1",
                "--resurrect", "auto", "--resurrect-delay", "200ms");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("resurrected as attempt 2");
        for (JsonNode node : nodes(json)) {
            String id = node.get("node").asString();
            assertThat(node.get("state").asString()).as(id).isEqualTo("SUCCEEDED");
            assertThat(node.get("resurrections").asInt()).as(id).isEqualTo(1);
            assertThat(node.get("attempts").asInt()).as(id + ": the dpkg lock, then success").isEqualTo(2);
            assertThat(node.get("deadLetter").isNull()).as(id).isTrue();
            assertThat(fleet.node(id).executions()).as(id).hasSize(2);
        }
    }

    @Test
    void aNodeThatAlwaysRefusesIsQuarantinedAfterThreeResurrectionsAndCanBeReleased() throws Exception {
        Path json = dir.resolve("refuses.json");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("refuses", "refuses-01").toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--resurrect", "auto",
                "--resurrect-delay", "100ms");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        String runId = result.runId();
        JsonNode node = nodes(json).getFirst();
        assertThat(node.get("state").asString()).isEqualTo("QUARANTINED");
        assertThat(node.get("outcome").asString()).isEqualTo("CONNECT_FAILED");
        assertThat(node.get("resurrections").asInt()).isEqualTo(3);
        assertThat(node.get("attempts").asInt()).as("the first attempt and three resurrections").isEqualTo(4);
        assertThat(node.get("deadLetter").asString()).isEqualTo("rejected");
        assertThat(node.get("verdict").asString()).isEqualTo("resurrection limit reached: 3 of 3");
        assertThat(Contracts.mapper().readTree(json.toFile()).get("reconciliation").get("quarantined").asInt()).isEqualTo(1);

        LazarusCli.Result listed = lazarus.run("quarantine", "list", "--run", runId);
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdout()).contains(runId + " refuses-01 attempt 4, 3 resurrection(s), dead-lettered rejected")
                .contains("1 node(s) in quarantine");

        LazarusCli.Result released = lazarus.run("quarantine", "release", "--run", runId);
        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(released.stdout()).contains("refuses-01 attempt 4: released as attempt 5");
        assertThat(broker.messageCount(Topology.QUARANTINE_QUEUE)).isZero();

        // refused again: a fresh candidate, counted from zero, which an operator's drain at limit 0 parks again
        awaitCandidates(1);
        LazarusCli.Result dryRun = lazarus.run("resurrect", runId, "--dry-run");
        assertThat(dryRun.stdout()).contains("refuses-01 attempt 5 (rejected): would come back as attempt 6: resurrection 1 of 3")
                .contains("dry run: 1 candidate(s) judged: would resurrect 1; nothing was changed").doesNotContain("1 resurrected");
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).as("a dry run leaves it in place").isEqualTo(1);
        LazarusCli.Result parked = lazarus.run("resurrect", "--run", runId, "--resurrection-limit", "0");
        assertThat(parked.stdout()).contains("refuses-01 attempt 5 (rejected): quarantined: resurrection limit reached: 0 of 0");
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(broker.messageCount(Topology.QUARANTINE_QUEUE)).isEqualTo(1);
        lazarus.run("quarantine", "release", "--run", runId, "--dry-run");
        assertThat(broker.messageCount(Topology.QUARANTINE_QUEUE)).as("a dry run releases nothing").isEqualTo(1);
    }

    @Test
    void anAuthenticationFailureIsNeverResurrected() throws Exception {
        Path json = dir.resolve("auth.json");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("auth", "rejects-auth-01").toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--resurrect", "auto",
                "--resurrect-delay", "100ms");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        JsonNode node = nodes(json).getFirst();
        assertThat(node.get("state").asString()).isEqualTo("FAILED");
        assertThat(node.get("outcome").asString()).isEqualTo("AUTH_FAILED");
        assertThat(node.get("attempts").asInt()).isEqualTo(1);
        assertThat(node.get("resurrections").asInt()).isZero();
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(lazarus.run("resurrect", "--run", result.runId()).stdout()).contains("0 candidate(s) judged");
    }

    @Test
    void anOperatorsDrainOfOneRunLeavesTheOthersCandidatesAndAWatchFollowsTheNewAttempts() throws Exception {
        Path first = dir.resolve("run-a-first.json");
        LazarusCli.Result a = lazarus.run("run", "--inventory", inventory("run-a", "refuses-a").toString(),
                "--script", script.toString(), "--wait", "--json", first.toString());
        LazarusCli.Result b = lazarus.run("run", "--inventory", inventory("run-b", "refuses-b").toString(),
                "--script", script.toString(), "--wait");
        assertThat(nodes(first).getFirst().get("state").asString()).as(a.toString()).isEqualTo("DEAD_LETTERED");
        awaitCandidates(2);

        LazarusCli.Result drained = lazarus.run("resurrect", "--run", a.runId(), "--max", "5");
        assertThat(drained.exitCode()).as(drained.toString()).isZero();
        assertThat(drained.stdout())
                .contains(a.runId() + " refuses-a attempt 1 (rejected): resurrected as attempt 2: resurrection 1 of 3")
                .contains("1 candidate(s) judged: 1 resurrected; 1 of other runs (or not due yet) left in place")
                .contains("follow it with lazarus watch " + a.runId())
                .doesNotContain("refuses-b");

        // the reopened run is followed again: its new attempt is refused and dead-lettered like the first
        Path json = dir.resolve("run-a.json");
        LazarusCli.Result watched = lazarus.run("watch", a.runId(), "--json", json.toString());
        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(1);
        JsonNode node = nodes(json).getFirst();
        assertThat(node.get("state").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(node.get("attempts").asInt()).isEqualTo(2);
        assertThat(node.get("resurrections").asInt()).isEqualTo(1);
        assertThat(node.get("deadLetter").asString()).isEqualTo("rejected");

        LazarusCli.Result rest = lazarus.run("resurrect", "--dry-run");
        assertThat(rest.stdout()).contains(b.runId() + " refuses-b attempt 1 (rejected): would come back as attempt 2")
                .contains(a.runId() + " refuses-a attempt 2 (rejected): would come back as attempt 3");
    }

    private static void awaitCandidates(int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (broker.messageCount(Topology.RESURRECTION_QUEUE) < count && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isEqualTo(count);
    }

    private static void purge(String queue) throws Exception {
        try (var connection = broker.newConnection("resurrection-test"); var channel = connection.createChannel()) {
            channel.queuePurge(queue);
        }
    }

    private static List<JsonNode> nodes(Path json) throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        Contracts.mapper().readTree(json.toFile()).get("nodes").forEach(nodes::add);
        return nodes;
    }

    private static Path inventory(String name, String prefix) throws Exception {
        List<String> lines = fleet.nodes().stream().filter(n -> n.id().startsWith(prefix))
                .map(n -> n.inventoryLine("deploy")).toList();
        return Files.write(dir.resolve(name + ".inventory"), lines);
    }
}
