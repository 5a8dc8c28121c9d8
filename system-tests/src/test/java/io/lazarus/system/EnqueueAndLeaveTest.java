package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CI pattern: enqueue a run without {@code --wait} and leave. Later {@code status}, {@code report} and
 * {@code watch} tell what happened, though nobody followed the run while it ran; and a report that could not be
 * written is refused before anything is published.
 */
class EnqueueAndLeaveTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("left-1", NodeBehavior.succeed())
                    .node("left-2", NodeBehavior.succeed())
                    .node("watched-1", NodeBehavior.succeed())
                    .node("watched-2", NodeBehavior.aptFailure())
                    .node("never", NodeBehavior.succeed()))
            .worker(Map.of());

    @Test
    void statusAndReportTellWhatARunNobodyFollowedDid() throws Exception {
        LazarusCli.Result enqueued = system.lazarus(
                "run", "--inventory", system.inventory("left", "left-1", "left-2"), "--script", system.script());
        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
        String runId = enqueued.runId();
        awaitEvents(runId, 4);

        LazarusCli.Result status = system.lazarus("status", runId);
        LazarusCli.Result report = system.lazarus("report", runId, "--json", system.json("left"));

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout())
                .contains(
                        "by state:   SUCCEEDED 2",
                        "by outcome: SUCCEEDED 2",
                        "nobody follows run " + runId,
                        "lazarus watch " + runId);
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.stdout()).contains("SUCCEEDED               2").doesNotContain("PENDING");
        assertThat(system.report("left").nodes())
                .allSatisfy(node -> assertThat(node.state()).isEqualTo(NodeState.SUCCEEDED));
    }

    @Test
    void watchLaterReceivesEveryEventOfARunEnqueuedWithoutWait() throws Exception {
        LazarusCli.Result enqueued = system.lazarus(
                "run",
                "--inventory",
                system.inventory("watched", "watched-1", "watched-2"),
                "--script",
                system.script());
        String runId = enqueued.runId();
        awaitEvents(runId, 4);

        LazarusCli.Result watched = system.lazarus("watch", runId, "--json", system.json("watched"));

        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(1);
        assertThat(watched.stdout())
                .contains(
                        "SUCCEEDED               1",
                        "COMMAND_FAILED          1",
                        "final (not resurrected): 1 node(s): watched-2");
        assertThat(system.report("watched").summary())
                .containsExactly(entry("SUCCEEDED", 1), entry("COMMAND_FAILED", 1));
        assertThat(system.lazarus("status", runId).stdout()).contains("FINISHED");
    }

    @Test
    void anUnwritableReportPathIsRefusedBeforeAnythingIsPublished() throws Exception {
        Path notADirectory = Path.of(system.write("plain-file", "x"));
        Path dir = system.dir();

        LazarusCli.Result json = system.lazarus(
                "run",
                "--inventory",
                system.inventory("never", "never"),
                "--script",
                system.script(),
                "--wait",
                "--json",
                notADirectory.resolve("report.json").toString());
        LazarusCli.Result junit = system.lazarus(
                "run",
                "--inventory",
                system.inventory("never", "never"),
                "--script",
                system.script(),
                "--wait",
                "--junit",
                dir.toString());

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(2);
        assertThat(json.stderr().strip())
                .isEqualTo("lazarus: --json " + notADirectory.resolve("report.json") + ": cannot be written: "
                        + notADirectory + " is not a directory");
        assertThat(junit.exitCode()).as(junit.toString()).isEqualTo(2);
        assertThat(junit.stderr()).contains("--junit " + dir + ": is a directory");
        assertThat(json.stdout() + junit.stdout()).as("no run was started").isEmpty();
        Thread.sleep(1000);
        assertThat(system.fleet().node("never").executions()).isEmpty();
    }

    @Test
    void jsonDashWritesTheReportToStandardOutput() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("dash", "left-1"),
                "--script",
                system.script(),
                "--wait",
                "--json",
                "-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = Reports.read(result.stdout());
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1));
        assertThat(result.stderr()).startsWith("run " + report.runId()).contains("SUCCEEDED               1");
        assertThat(Files.exists(Path.of("-"))).isFalse();
    }

    /** Waits until the run's queue holds {@code count} events (a worker's message may carry several). */
    private static void awaitEvents(String runId, int count) {
        await("the run's events")
                .atMost(Duration.ofSeconds(60))
                .until(() -> eventsWaiting("lazarus.run." + runId) >= count);
    }

    /** Counts the events in the queue's messages; closing the connection gives every message back. */
    private static int eventsWaiting(String queue) throws Exception {
        try (Connection connection = system.broker().newConnection("event-count")) {
            Channel channel = connection.createChannel();
            int events = 0;
            for (GetResponse m = channel.basicGet(queue, false); m != null; m = channel.basicGet(queue, false)) {
                events += Contracts.readEvents(m.getBody()).size();
            }
            return events;
        }
    }
}
