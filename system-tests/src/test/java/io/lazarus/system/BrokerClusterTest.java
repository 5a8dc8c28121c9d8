package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.rabbit.RabbitCluster;
import io.lazarus.testkit.rabbit.RabbitCluster.QuorumMember;
import io.lazarus.testkit.rabbit.RabbitNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run through a three-node RabbitMQ cluster that loses the node leading the install queue, gets it back, then loses
 * the new leader. A quorum queue needs a majority of its members, so the second node dies only once the first is back:
 * two of three nodes are up at every moment, and the queue stays available throughout.
 */
class BrokerClusterTest {

    private static final int NODES = 60;

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .brokerCluster(3)
            .fleet(fleet -> {
                for (int i = 1; i <= NODES; i++) {
                    fleet.node("web-%02d".formatted(i), NodeBehavior.install(Duration.ofSeconds(6), 6));
                }
            })
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "12"));

    @Test
    void aRunLosesTwoBrokerNodesOneAfterTheOtherAndAccountsForEveryNode() throws Exception {
        RabbitCluster cluster = system.cluster();
        long begin = System.nanoTime();
        LazarusCli.Running run = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("cluster", system.fleet().nodes()),
                        "--script",
                        system.script(),
                        "--wait",
                        "--json",
                        system.json("cluster"),
                        "--resurrect",
                        "auto",
                        "--resurrect-delay",
                        "1s");
        await("installs running").atMost(Duration.ofSeconds(60)).until(() -> running() >= 6);
        assertThat(cluster.quorumStatus(Topology.INSTALL_QUEUE))
                .as("the install queue is replicated on every node")
                .extracting(QuorumMember::node)
                .containsExactlyInAnyOrderElementsOf(
                        cluster.nodes().stream().map(RabbitNode::nodeName).toList());

        RabbitNode first = cluster.leaderOf(Topology.INSTALL_QUEUE);
        log(begin, "kill -9 " + first.nodeName() + ", leader of " + Topology.INSTALL_QUEUE);
        first.kill();
        RabbitNode second = awaitNewLeader(first);
        log(begin, "new leader " + second.nodeName() + "; restarting " + first.nodeName());
        first.restart();
        log(begin, first.nodeName() + " is back; " + running() + " installs running");
        await("every member of the install queue up again")
                .atMost(Duration.ofSeconds(60))
                .until(() -> cluster.quorumStatus(Topology.INSTALL_QUEUE).stream()
                        .noneMatch(m -> m.raftState().equals("noproc")));

        second = cluster.leaderOf(Topology.INSTALL_QUEUE);
        log(begin, "kill -9 " + second.nodeName() + ", leader of " + Topology.INSTALL_QUEUE);
        second.kill();
        log(begin, "new leader " + awaitNewLeader(second).nodeName() + "; restarting " + second.nodeName());
        second.restart();
        log(begin, second.nodeName() + " is back");

        LazarusCli.Result result = run.await(Duration.ofMinutes(3));
        log(begin, "run ended with " + result.exitCode());
        System.out.println(result.stdout());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("cluster");
        assertThat(report.reconciliation().balanced())
                .as(report.reconciliation().line())
                .isTrue();
        assertThat(report.nodes())
                .hasSize(NODES)
                .allSatisfy(node -> assertThat(node.state()).as(node.node()).isEqualTo(NodeState.SUCCEEDED));
        int executed = system.fleet().nodes().stream()
                .mapToInt(n -> n.executions().size())
                .sum();
        int recorded = report.nodes().stream().mapToInt(NodeReport::executions).sum();
        long twice =
                report.nodes().stream().filter(NodeReport::executedMoreThanOnce).count();
        long redeliveredFinished = Files.readAllLines(system.worker().log()).stream()
                .filter(line -> line.contains("already finished here; acknowledging the redelivery"))
                .count();
        log(
                begin,
                "installs run on the fleet " + executed + ", executions on record " + recorded + ", nodes run more"
                        + " than once " + twice + ", redeliveries of finished attempts acknowledged unrun "
                        + redeliveredFinished);
        assertThat(recorded).as("every install the fleet ran is on the record").isEqualTo(executed);
        if (twice > 0) {
            assertThat(result.stdout()).contains("executed more than once");
        }
        assertThat(cluster.quorumStatus(Topology.INSTALL_QUEUE))
                .hasSize(3)
                .noneMatch(m -> m.raftState().equals("noproc"));
    }

    private static RabbitNode awaitNewLeader(RabbitNode dead) {
        RabbitCluster cluster = system.cluster();
        return await("a new leader of " + Topology.INSTALL_QUEUE)
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> cluster.leaderOf(Topology.INSTALL_QUEUE), leader -> leader != dead);
    }

    private static int running() {
        return system.fleet().nodes().stream().mapToInt(SimulatedNode::running).sum();
    }

    private static void log(long begin, String what) {
        System.out.printf("[cluster %5.1f s] %s%n", (System.nanoTime() - begin) / 1e9, what);
    }
}
