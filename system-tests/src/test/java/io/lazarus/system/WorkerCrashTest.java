package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.WorkerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers killed with {@code kill -9} while they hold nodes: the broker gives the nodes to the next worker, and a node
 * whose message kills every worker that takes it ends dead-lettered by the delivery limit, recorded, and parked.
 */
class WorkerCrashTest {

    /** Low, so a poison message is found out after a few crashes; every process of this test declares the same. */
    private static final Map<String, String> TOPOLOGY = Map.of("LAZARUS_TOPOLOGY_DELIVERY_LIMIT", "2");

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                for (int i = 1; i <= 12; i++) {
                    fleet.node("crash-%02d".formatted(i), NodeBehavior.install(Duration.ofSeconds(3), 3));
                }
                fleet.node("poison-01", NodeBehavior.install(Duration.ofMinutes(5), 5));
            })
            .cliEnvironment(TOPOLOGY);

    /** Workers are killed, not stopped: a test that failed half way leaves no node in flight to the next one. */
    @AfterEach
    void killWorkers() throws InterruptedException {
        system.killWorkers();
        system.freshTopology();
    }

    @Test
    void nodesInFlightOnAKilledWorkerAreFinishedByTheNextOneEachWithOneFinalState() throws Exception {
        List<SimulatedNode> nodes = system.nodes("crash-");
        WorkerProcess first = startWorker();

        LazarusCli.Running run = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("crash", nodes),
                        "--script",
                        system.script(),
                        "--wait",
                        "--json",
                        system.json("crash"));
        await("six installs running")
                .atMost(Duration.ofSeconds(60))
                .until(() -> nodes.stream().mapToInt(SimulatedNode::running).sum() >= 6);
        first.kill();
        startWorker();
        LazarusCli.Result result = run.await(Duration.ofMinutes(2));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("crash");
        assertThat(report.reconciliation().balanced()).isTrue();
        assertThat(report.nodes()).allSatisfy(node -> {
            assertThat(node.state()).isEqualTo(NodeState.SUCCEEDED);
            assertThat(node.attempts()).as("one final state per node").isEqualTo(1);
        });
        assertThat(nodes)
                .allSatisfy(n -> assertThat(n.executions())
                        .filteredOn(e -> e.ending() == Execution.Ending.EXITED)
                        .as(n.id() + " installed once to the end")
                        .hasSize(1));
        assertThat(nodes.stream().filter(n -> n.executions().size() == 2).count())
                .as("nodes the killed worker held, run again by the next")
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void aMessageThatKillsEveryWorkerEndsDeadLetteredByTheDeliveryLimitAndParked() throws Exception {
        SimulatedNode poison = system.fleet().node("poison-01");
        WorkerProcess worker = startWorker();

        LazarusCli.Running run = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("poison", List.of(poison)),
                        "--script",
                        system.script(),
                        "--wait",
                        "--json",
                        system.json("poison"),
                        "--resurrect",
                        "auto",
                        "--resurrect-delay",
                        "100ms");
        int kills = 0;
        while (run.process().isAlive() && kills < 6) {
            int taken = kills + 1;
            await("the poison taken again")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> poison.executions().size() >= taken
                            || !run.process().isAlive());
            if (!run.process().isAlive()) {
                break;
            }
            worker.kill();
            kills++;
            worker = startWorker();
        }
        LazarusCli.Result result = run.await(Duration.ofMinutes(1));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(kills)
                .as("deliveries up to the limit of 2, each killing its worker")
                .isBetween(2, 3);
        assertThat(system.report("poison").nodes().getFirst()).satisfies(node -> {
            assertThat(node.state()).isEqualTo(NodeState.QUARANTINED);
            assertThat(node.deadLetter()).isEqualTo("delivery_limit");
            assertThat(node.verdict()).startsWith("poison");
        });
        assertThat(system.broker().messageCount(Topology.QUARANTINE_QUEUE)).isEqualTo(1);
        assertThat(system.broker().messageCount(Topology.RESURRECTION_QUEUE)).isZero();
        assertThat(system.broker().messageCount(Topology.INSTALL_QUEUE))
                .as("not retried forever")
                .isZero();
    }

    private static WorkerProcess startWorker() throws Exception {
        Map<String, String> settings = new HashMap<>(TOPOLOGY);
        settings.put("LAZARUS_WORKER_PREFETCH", "20");
        return system.startWorker(settings);
    }
}
