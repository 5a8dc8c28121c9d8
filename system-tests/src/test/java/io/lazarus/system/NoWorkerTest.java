package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.topology.Topology;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run nobody takes (no worker listens), followed with {@code run --wait} on the default H2 registry: what a user
 * sees while it waits, what another command sees meanwhile, Ctrl-C and SIGTERM.
 */
class NoWorkerTest {

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create();

    private LazarusCli.Running waiting;

    @AfterEach
    void stopWaiting() throws Exception {
        if (waiting != null && waiting.process().isAlive()) {
            waiting.process().destroyForcibly().waitFor();
        }
    }

    @Test
    void aRunNobodyTakesSaysWithinSecondsThatNoWorkerListens() throws Exception {
        waiting = startWaiting();

        await("the warning that no worker listens, then a progress line saying so")
                .atMost(Duration.ofSeconds(20))
                .until(() -> stdout().contains("queued 1; no worker is consuming"));

        assertThat(stdout())
                .contains("warning: no worker is consuming lazarus.install: queued nodes wait until one" + " starts");
    }

    @Test
    void aSecondCommandWorksWhileRunWaitHoldsTheDefaultRegistry() throws Exception {
        waiting = startWaiting();
        String runId = awaitPublished();

        LazarusCli.Result status = system.lazarus("status", runId);
        LazarusCli.Result version = system.lazarus("--version");

        assertThat(waiting.process().isAlive())
                .as("run --wait still holds the registry")
                .isTrue();
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).contains("run " + runId + " RUNNING", "by state:   PENDING 1");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stderr()).doesNotContain("locked");
    }

    @Test
    void ctrlCLeavesTheRunGoingAndSaysHowToReattach() throws Exception {
        assertTheSignalLeavesTheRunGoing("INT", 130);
    }

    @Test
    void sigtermAsACiCancelOrKubernetesSendsItAlsoLeavesTheRunGoing() throws Exception {
        assertTheSignalLeavesTheRunGoing("TERM", 143);
    }

    private void assertTheSignalLeavesTheRunGoing(String signal, int exitCode) throws Exception {
        waiting = startWaiting();
        String runId = awaitPublished();
        Thread.sleep(500);

        new ProcessBuilder("kill", "-" + signal, Long.toString(waiting.process().pid()))
                .start()
                .waitFor();
        LazarusCli.Result result = waiting.await(Duration.ofSeconds(30));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.stderr()).contains("run " + runId + " goes on", "re-attach with: lazarus watch " + runId);
        assertThat(result.stdout() + result.stderr()).doesNotContain("ERROR", "Exception");
        assertThat(system.broker().messageCount(Topology.INSTALL_QUEUE))
                .as("the node still waits for a worker")
                .isEqualTo(1);
        LazarusCli.Result status = system.lazarus("status", runId);
        assertThat(status.stdout()).contains("RUNNING");
    }

    private LazarusCli.Running startWaiting() throws Exception {
        return system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.write("hosts", "web-1\n"),
                        "--script",
                        system.write("install.sh", "true\n"),
                        "--wait",
                        "--deadline",
                        "2m",
                        "--progress-interval",
                        "500ms");
    }

    /** The run's id, once it is published. */
    private String awaitPublished() throws Exception {
        await("the run published").atMost(Duration.ofSeconds(30)).until(() -> stdout().contains("published 1/1"));
        return stdout().lines().findFirst().orElseThrow().substring("run ".length());
    }

    private String stdout() throws Exception {
        return Files.readString(waiting.out(), StandardCharsets.UTF_8);
    }
}
