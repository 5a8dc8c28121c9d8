package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Install messages no worker took before the run's deadline expire, and are recorded as dead letters that say so. */
class ExpiredMessageTest {

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(null, fleet);
        SystemTests.freshTopology(RabbitBroker.shared());
    }

    @Test
    void messagesNoWorkerTookByTheDeadlineAreDeadLetteredAsExpired() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("late-1", NodeBehavior.succeed()).node("late-2", NodeBehavior.succeed()).start();
        Path inventory = fleet.writeInventory(dir.resolve("late.inventory"), "deploy");
        Path script = Files.writeString(dir.resolve("install.sh"), "true\n");
        Path json = dir.resolve("late.json");
        LazarusCli lazarus = new LazarusCli(broker);

        // no worker runs: nobody takes the messages before they expire
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--wait", "--json", json.toString(), "--deadline", "2s", "--ghost-grace", "60s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        for (JsonNode node : Contracts.mapper().readTree(json.toFile()).get("nodes")) {
            assertThat(node.get("state").asString()).isEqualTo("DEAD_LETTERED");
            assertThat(node.get("deadLetter").asString()).isEqualTo("expired");
            assertThat(node.get("attempts").asInt()).as("never attempted").isZero();
        }
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).isZero();
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isEqualTo(2);
        assertThat(lazarus.run("resurrect", "--run", result.runId(), "--dry-run").stdout())
                .contains("late-1 attempt 1 (expired): would come back as attempt 2");
        assertThat(fleet.nodes()).allSatisfy(n -> assertThat(n.executions()).isEmpty());
    }
}
