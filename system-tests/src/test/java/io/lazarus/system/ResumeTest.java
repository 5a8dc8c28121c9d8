package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A coordinator killed with SIGKILL in the middle of a run; {@code lazarus watch} takes the run up and finishes it. */
class ResumeTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.nodes(8, NodeBehavior.install(Duration.ofMillis(1500), 6)))
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "100"));

    @Test
    void aRunWhoseCoordinatorWasKilledIsResumedAndEveryNodeIsAccountedForOnce() throws Exception {
        SimulatedFleet fleet = system.fleet();

        LazarusCli.Running first = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("hosts", fleet.nodes()),
                        "--script",
                        system.script(),
                        "--wait",
                        "--max-in-flight",
                        "2");
        await("the run gets going")
                .atMost(Duration.ofSeconds(60))
                .until(() -> fleet.nodes().stream()
                                .filter(n -> !n.executions().isEmpty())
                                .count()
                        >= 2);
        first.process().destroyForcibly().waitFor();
        String runId = Files.readAllLines(first.out(), StandardCharsets.UTF_8)
                .getFirst()
                .substring("run ".length());
        long ranBeforeTheKill =
                fleet.nodes().stream().filter(n -> !n.executions().isEmpty()).count();

        LazarusCli.Result resumed = system.lazarus("watch", runId, "--json", system.json("resumed"));

        assertThat(ranBeforeTheKill).as("the kill came mid-run").isLessThan(8);
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.stdout()).contains("resuming run " + runId);
        RunReport report = system.report("resumed");
        assertThat(report.states()).containsExactly(entry(NodeState.SUCCEEDED, 8));
        assertThat(report.reconciliation().manifest()).isEqualTo(8);
        assertThat(report.reconciliation().balanced()).isTrue();
        for (SimulatedNode node : fleet.nodes()) {
            assertThat(node.executions()).as(node.id() + " ran once").hasSize(1);
        }
        LazarusCli.Result again = system.lazarus("watch", runId);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("has ended; its report from the registry");
    }
}
