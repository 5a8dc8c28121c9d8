package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Install messages no worker took before the run's deadline expire, and are recorded as dead letters that say so. */
class ExpiredMessageTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("late-1", NodeBehavior.succeed()).node("late-2", NodeBehavior.succeed()));

    @Test
    void messagesNoWorkerTookByTheDeadlineAreDeadLetteredAsExpired() throws Exception {
        // no worker runs: nobody takes the messages before they expire
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("late", system.fleet().nodes()),
                "--script",
                system.write("install.sh", "true\n"),
                "--wait",
                "--json",
                system.json("late"),
                "--deadline",
                "2s",
                "--ghost-grace",
                "60s");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(system.report("late").nodes()).allSatisfy(node -> {
            assertThat(node)
                    .extracting(NodeReport::state, NodeReport::deadLetter)
                    .containsExactly(NodeState.DEAD_LETTERED, "expired");
            assertThat(node.attempts()).as("never attempted").isZero();
        });
        assertThat(system.broker().messageCount(Topology.INSTALL_QUEUE)).isZero();
        assertThat(system.broker().messageCount(Topology.RESURRECTION_QUEUE)).isEqualTo(2);
        assertThat(system.lazarus("resurrect", "--run", result.runId(), "--dry-run")
                        .stdout())
                .contains("late-1 attempt 1 (expired): would come back as attempt 2");
        assertThat(system.fleet().nodes())
                .allSatisfy(n -> assertThat(n.executions()).isEmpty());
    }
}
