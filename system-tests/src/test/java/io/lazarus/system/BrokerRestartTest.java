package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.rabbit.RabbitNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker stopped and started in the middle of a run: workers and coordinator reconnect, and no node is lost. The
 * broker stopped is a node of this test's own, never the one the tests were given (others may be using it).
 */
class BrokerRestartTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .brokerNode(dir -> RabbitNode.builder()
                    .keepLogsIn(Processes.logs("system-tests"))
                    .start())
            .fleet(fleet -> {
                for (int i = 1; i <= 10; i++) {
                    fleet.node("steady-%02d".formatted(i), NodeBehavior.install(Duration.ofSeconds(4), 4));
                }
            })
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "20"));

    @Test
    void aRunSurvivesTheBrokerStoppedAndStartedWithEveryNodeAccountedFor() throws Exception {
        LazarusCli.Running run = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("steady", system.fleet().nodes()),
                        "--script",
                        system.script(),
                        "--wait",
                        "--json",
                        system.json("steady"),
                        "--resurrect",
                        "auto",
                        "--resurrect-delay",
                        "1s");
        await("five installs running")
                .atMost(Duration.ofSeconds(60))
                .until(() -> system.fleet().nodes().stream()
                                .mapToInt(SimulatedNode::running)
                                .sum()
                        >= 5);
        RabbitNode broker = system.node();
        broker.stopApp();
        try {
            Thread.sleep(3_000);
        } finally {
            broker.startApp();
        }
        LazarusCli.Result result = run.await(Duration.ofMinutes(3));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("steady");
        assertThat(report.reconciliation().balanced()).isTrue();
        assertThat(report.nodes())
                .hasSize(10)
                .allSatisfy(node -> assertThat(node.state()).as(node.node()).isEqualTo(NodeState.SUCCEEDED));
    }
}
