package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.Reconciliation;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Install messages removed from the queue behind the coordinator's back: their nodes are reconciled as ghosts. */
class GhostReconciliationTest {

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create();

    @Test
    void nodesWhoseMessagesVanishAreGhostsOnceTheDeadlineAndGracePass() throws Exception {
        String inventory = system.write(
                "hosts",
                "deploy@127.77.0.1 name=lost-1\ndeploy@127.77.0.2 name=lost-2\ndeploy@127.77.0.3 name=lost-3\n");
        long started = System.nanoTime();

        LazarusCli.Running running = system.cli()
                .start(
                        "run",
                        "--inventory",
                        inventory,
                        "--script",
                        system.write("install.sh", "true\n"),
                        "--wait",
                        "--json",
                        system.json("ghosts"),
                        "--deadline",
                        "4s",
                        "--ghost-grace",
                        "2s");
        int purged;
        try (Connection connection = system.broker().newConnection("ghost-maker")) {
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
        RunReport report = system.report("ghosts");
        assertThat(report.states()).containsExactly(entry(NodeState.GHOST, 3));
        assertThat(report.reconciliation())
                .extracting(Reconciliation::manifest, Reconciliation::ghosts, Reconciliation::balanced)
                .containsExactly(3, 3, true);
        assertThat(report.nodes().getFirst().reason()).startsWith("dispatched, and no worker started it");
        // the run's deadline plus the grace, not the workers' 25-minute node deadline
        assertThat(took).isLessThan(Duration.ofSeconds(30));

        LazarusCli.Result status = system.lazarus("status", result.runId());
        assertThat(status.stdout()).contains("by state:   GHOST 3");
    }

    /** Waits until the coordinator has declared the queue and published into it. */
    private static void awaitMessages(Connection connection, int count) {
        await(count + " install messages in " + Topology.INSTALL_QUEUE)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                // the coordinator is still starting: a passive declare of a queue not there yet closes its channel
                .ignoreExceptionsMatching(e -> e instanceof IOException || e instanceof AlreadyClosedException)
                .until(() -> {
                    try (Channel channel = connection.createChannel()) {
                        return channel.queueDeclarePassive(Topology.INSTALL_QUEUE)
                                        .getMessageCount()
                                >= count;
                    }
                });
    }
}
