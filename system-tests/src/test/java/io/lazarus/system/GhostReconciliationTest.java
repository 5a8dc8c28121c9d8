package io.lazarus.system;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Install messages removed from the queue behind the coordinator's back: their nodes are reconciled as ghosts. */
class GhostReconciliationTest {

    @TempDir
    Path dir;

    @Test
    void nodesWhoseMessagesVanishAreGhostsOnceTheDeadlineAndGracePass() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        LazarusCli lazarus = new LazarusCli(broker);
        Path inventory = Files.writeString(dir.resolve("hosts"),
                "deploy@127.77.0.1 name=lost-1\ndeploy@127.77.0.2 name=lost-2\ndeploy@127.77.0.3 name=lost-3\n");
        Path script = Files.writeString(dir.resolve("install.sh"), "true\n");
        Path json = dir.resolve("ghosts.json");
        long started = System.nanoTime();

        LazarusCli.Running running = lazarus.start("run", "--inventory", inventory.toString(), "--script",
                script.toString(), "--wait", "--json", json.toString(), "--deadline", "4s", "--ghost-grace", "2s");
        int purged;
        try (Connection connection = broker.newConnection("ghost-maker")) {
            awaitMessages(connection, 3);
            try (Channel channel = connection.createChannel()) {
                purged = channel.queuePurge(Topology.INSTALL_QUEUE).getMessageCount();
            }
        }
        LazarusCli.Result result = running.await();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(purged).isEqualTo(3);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("3 node(s) reconciled as GHOST");
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("states").toString()).isEqualTo("{\"GHOST\":3}");
        JsonNode books = report.get("reconciliation");
        assertThat(books.get("manifest").asInt()).isEqualTo(3);
        assertThat(books.get("ghosts").asInt()).isEqualTo(3);
        assertThat(books.get("balanced").asBoolean()).isTrue();
        assertThat(report.get("nodes").get(0).get("reason").asString()).startsWith("dispatched, and no worker started it");
        // the run's deadline plus the grace, not the workers' 25-minute node deadline
        assertThat(took).isLessThan(Duration.ofSeconds(30));

        LazarusCli.Result status = lazarus.run("status", result.runId());
        assertThat(status.stdout()).contains("by state:   GHOST 3");
    }

    /** Waits until the coordinator has declared the queue and published into it. */
    private static void awaitMessages(Connection connection, int count) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            // a passive declare of a queue not there yet closes its channel: one channel per look
            try (Channel channel = connection.createChannel()) {
                if (channel.queueDeclarePassive(Topology.INSTALL_QUEUE).getMessageCount() >= count) {
                    return;
                }
            } catch (java.io.IOException | com.rabbitmq.client.AlreadyClosedException notDeclaredYet) {
                // the coordinator is still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError(count + " install messages never reached " + Topology.INSTALL_QUEUE);
    }
}
