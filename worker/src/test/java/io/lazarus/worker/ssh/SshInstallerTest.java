package io.lazarus.worker.ssh;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The installer against real SSH servers (the simulated fleet): each way a node can end, and how long it takes. */
class SshInstallerTest {

    @TempDir
    static Path dir;
    static ClientKey key;
    static SimulatedFleet fleet;

    @BeforeAll
    static void fleet() throws Exception {
        key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("ok", NodeBehavior.succeed())
                .node("ok-2", NodeBehavior.succeed())
                .node("apt", NodeBehavior.aptFailure())
                .node("refuses", NodeBehavior.refuseConnection())
                .node("silent", NodeBehavior.noBanner())
                .node("locked", NodeBehavior.rejectAuth())
                .node("rekeyed", NodeBehavior.succeed())
                .node("chatty", NodeBehavior.succeedSlowly(200, Duration.ZERO))
                .node("steady", NodeBehavior.succeedSlowly(8, Duration.ofMillis(100)))
                .node("sleepy", NodeBehavior.succeedSlowly(3, Duration.ofMillis(700)))
                .start();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aHealthyNodeSucceedsAndItsOutputAndHostKeyAreReported() {
        SshInstaller installer = installer("accept-new", dir.resolve("kh-ok"), watchdog());

        AttemptResult result = installer.install(message("ok", "sh -c 'apt-get install -y tomcat10'", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitStatus()).isZero();
        assertThat(result.reason()).isEmpty();
        assertThat(result.commands()).hasSize(2).allSatisfy(c -> assertThat(c.exitStatus()).isZero());
        assertThat(result.stdoutTail()).contains("[ok] step 3/3");
        assertThat(result.hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(result.connectAttempts()).isEqualTo(1);
        assertThat(fleet.node("ok").executions()).extracting(e -> e.command())
                .containsExactly("sh -c 'apt-get install -y tomcat10'", "true");
    }

    @Test
    void aFailingCommandIsCommandFailedWithItsExitStatusAndStderr() {
        AttemptResult result = installer("accept-new", dir.resolve("kh-apt"), watchdog())
                .install(message("apt", "apt-get install -y tomcat9", "echo never"));

        assertThat(result.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.exitStatus()).isEqualTo(100);
        assertThat(result.stderrTail()).isEqualTo("E: Unable to locate package tomcat9\n");
        assertThat(result.reason()).isEqualTo("command 1/2 exited 100: E: Unable to locate package tomcat9");
        assertThat(fleet.node("apt").executions()).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsRetriedThenConnectFailed() {
        long started = System.nanoTime();
        AttemptResult result = installer("accept-new", dir.resolve("kh-refused"), watchdog()).install(message("refuses", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(result.connectAttempts()).isEqualTo(3);
        assertThat(result.reason()).contains("after 3 attempt(s)").containsIgnoringCase("refused");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aNodeThatNeverSendsABannerTimesOutPerAttempt() {
        long started = System.nanoTime();
        AttemptResult result = installer("accept-new", dir.resolve("kh-silent"), watchdog()).install(message("silent", "true"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(result.connectAttempts()).isEqualTo(3);
        // 3 attempts x 500 ms connect timeout, plus at most 2 x 100 ms of backoff
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofMillis(3500));
    }

    @Test
    void aRejectedKeyIsAuthFailedAndNotRetried() {
        AttemptResult result = installer("accept-new", dir.resolve("kh-locked"), watchdog()).install(message("locked", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.AUTH_FAILED);
        assertThat(result.connectAttempts()).isEqualTo(1);
        assertThat(fleet.node("locked").executions()).isEmpty();
    }

    @Test
    void acceptNewRecordsAnUnknownHostAndRejectsAChangedKey() throws Exception {
        Path knownHosts = dir.resolve("kh-rekeyed");
        SshInstaller installer = installer("accept-new", knownHosts, watchdog());
        assertThat(installer.install(message("rekeyed", "true")).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(Files.readString(knownHosts)).contains("[" + fleet.node("rekeyed").address() + "]:2222");

        fleet.node("rekeyed").changeHostKey();
        AttemptResult accepted = installer.install(message("rekeyed", "true"));
        AttemptResult strict = installer("strict", knownHosts, watchdog()).install(message("rekeyed", "true"));

        assertThat(accepted.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(strict.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(accepted.reason()).contains("host key of");
        assertThat(fleet.node("rekeyed").executions()).hasSize(1);
    }

    @Test
    void strictRejectsAHostItHasNeverSeen() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("kh-empty"));

        AttemptResult result = installer("strict", knownHosts, watchdog()).install(message("ok-2", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void aPinnedHostKeyWinsOverKnownHosts() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("kh-pinned"));
        SshInstaller strict = installer("strict", knownHosts, watchdog());
        SimulatedNode node = fleet.node("ok-2");
        String rightKey = PublicKeyEntry.toString(node.hostKey().getPublic());
        String wrongKey = PublicKeyEntry.toString(fleet.node("ok").hostKey().getPublic());

        assertThat(strict.install(pinned(node, rightKey)).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(strict.install(pinned(node, wrongKey)).outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
    }

    @Test
    void unknownPoliciesAreRefusedRatherThanSilentlyDisablingChecks() {
        assertThatThrownBy(() -> installer("ask", dir.resolve("kh-x"), watchdog()))
                .hasMessageContaining("lazarus.ssh.host-key-policy must be strict, accept-new or off, was 'ask'");
    }

    @Test
    void outputTailsAreBounded() {
        WatchdogProperties small = watchdog(Duration.ofSeconds(5), 0, 64);

        AttemptResult result = installer("accept-new", dir.resolve("kh-chatty"), small).install(message("chatty", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.stdoutTail()).hasSizeLessThanOrEqualTo(64).endsWith("[chatty] step 200/200\n");
        assertThat(result.bytesReceived()).isGreaterThan(3000);
    }

    @Test
    void slowButSteadyOutputIsNeverAStall() {
        WatchdogProperties watchdog = watchdog(Duration.ofMillis(400), 0, 4096);

        AttemptResult result = installer("accept-new", dir.resolve("kh-steady"), watchdog).install(message("steady", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void silenceLongerThanTheStallTimeoutIsRetriedThenStalled() {
        WatchdogProperties watchdog = watchdog(Duration.ofMillis(300), 1, 4096);
        long started = System.nanoTime();

        AttemptResult result = installer("accept-new", dir.resolve("kh-sleepy"), watchdog).install(message("sleepy", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.STALLED);
        assertThat(result.commands()).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(2));
        assertThat(result.watchdog().stall()).isEqualTo(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void outputThatOutlivesTheCommandTimeoutIsTimedOut() {
        AttemptResult result = installer("accept-new", dir.resolve("kh-steady2"), watchdog())
                .install(new InstallMessage(1, "a-1", "run-t", 1, target("steady"), InstallScript.of("s", "true"),
                        new Watchdog(null, null, null, null, null, Duration.ofMillis(350), null, null), null));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.reason()).contains("command timeout");
    }

    private static WatchdogProperties watchdog() {
        return watchdog(Duration.ofSeconds(5), 1, 4096);
    }

    /** Test-sized limits: a 10 s command timeout, a 20 s node deadline, one command attempt. */
    private static WatchdogProperties watchdog(Duration stallTimeout, int stallRetries, int tailBytes) {
        return new WatchdogProperties(stallTimeout, stallRetries, Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(30), 1, Duration.ZERO, tailBytes,
                new WatchdogProperties.AdaptiveStall(false, Duration.ofMillis(100), 3));
    }

    private static SshInstaller installer(String policy, Path knownHosts, WatchdogProperties watchdog) {
        SshProperties ssh = new SshProperties(key.privateKey(), knownHosts, policy, Duration.ofMillis(500),
                Duration.ofMillis(500), 3, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(15), true);
        return new SshInstaller(ssh, watchdog, new SshMetrics(new SimpleMeterRegistry()));
    }

    private static NodeTarget target(String id) {
        SimulatedNode node = fleet.node(id);
        return new NodeTarget(id, node.address(), node.port(), "deploy");
    }

    private static InstallMessage message(String id, String... commands) {
        return InstallMessage.firstAttempt("run-t", target(id), InstallScript.of("install.sh", List.of(commands)), null, null);
    }

    private static InstallMessage pinned(SimulatedNode node, String hostKey) {
        NodeTarget target = new NodeTarget(node.id(), node.address(), node.port(), "deploy", hostKey, Map.of());
        return InstallMessage.firstAttempt("run-t", target, InstallScript.of("install.sh", "true"), null, null);
    }
}
