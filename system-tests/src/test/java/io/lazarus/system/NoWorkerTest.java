package io.lazarus.system;

import io.lazarus.common.topology.Topology;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run nobody takes (no worker listens), followed with {@code run --wait} on the default H2 registry: what a user
 * sees while it waits, what another command sees meanwhile, and Ctrl-C.
 */
class NoWorkerTest {

    @TempDir
    Path dir;

    private final RabbitBroker broker = RabbitBroker.shared();
    private final LazarusCli lazarus = new LazarusCli(broker);
    private LazarusCli.Running waiting;

    @BeforeEach
    void fresh() {
        SystemTests.freshTopology(broker);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (waiting != null && waiting.process().isAlive()) {
            waiting.process().destroyForcibly().waitFor();
        }
        SystemTests.freshTopology(broker);
    }

    @Test
    void aRunNobodyTakesSaysWithinSecondsThatNoWorkerListens() throws Exception {
        waiting = startWaiting();

        SystemTests.awaitTrue("the warning that no worker listens, then a progress line saying so", () -> stdout()
                .contains("queued 1; no worker is consuming"), Duration.ofSeconds(20));

        assertThat(stdout()).contains("warning: no worker is consuming lazarus.install: queued nodes wait until one"
                + " starts");
    }

    @Test
    void aSecondCommandWorksWhileRunWaitHoldsTheDefaultRegistry() throws Exception {
        waiting = startWaiting();
        SystemTests.awaitTrue("the run published", () -> stdout().contains("published 1/1"), Duration.ofSeconds(30));
        String runId = stdout().lines().findFirst().orElseThrow().substring("run ".length());

        LazarusCli.Result status = lazarus.run("status", runId);
        LazarusCli.Result version = lazarus.run("--version");

        assertThat(waiting.process().isAlive()).as("run --wait still holds the registry").isTrue();
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).contains("run " + runId + " RUNNING", "by state:   PENDING 1");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stderr()).doesNotContain("locked");
    }

    @Test
    void ctrlCLeavesTheRunGoingAndSaysHowToReattach() throws Exception {
        waiting = startWaiting();
        SystemTests.awaitTrue("the run published", () -> stdout().contains("published 1/1"), Duration.ofSeconds(30));
        String runId = stdout().lines().findFirst().orElseThrow().substring("run ".length());
        Thread.sleep(500);

        new ProcessBuilder("kill", "-INT", Long.toString(waiting.process().pid())).start().waitFor();
        LazarusCli.Result result = waiting.await(Duration.ofSeconds(30));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(130);
        assertThat(result.stderr()).contains("run " + runId + " goes on", "re-attach with: lazarus watch " + runId);
        assertThat(result.stdout() + result.stderr()).doesNotContain("ERROR", "Exception");
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).as("the node still waits for a worker").isEqualTo(1);
        LazarusCli.Result status = lazarus.run("status", runId);
        assertThat(status.stdout()).contains("RUNNING");
    }

    private LazarusCli.Running startWaiting() throws Exception {
        Path inventory = Files.writeString(dir.resolve("hosts"), "web-1\n");
        Path script = Files.writeString(dir.resolve("install.sh"), "true\n");
        return lazarus.start("run", "--inventory", inventory.toString(), "--script", script.toString(), "--wait",
                "--deadline", "2m", "--progress-interval", "500ms");
    }

    private String stdout() {
        try {
            return Files.readString(waiting.out(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
