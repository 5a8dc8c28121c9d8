package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The installer against real SSH servers (the simulated fleet): each way a node can end, and how long it takes. */
class SshInstallerTest {

    /** Where the prelude that reads the environment from stdin ends and the command begins. */
    private static final String AFTER_PRELUDE = "unset __lz_env __lz_line\n";

    @TempDir
    static Path dir;

    static ClientKey key;
    static SimulatedFleet fleet;

    @BeforeAll
    static void fleet() throws Exception {
        key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder()
                .authorizedKey(key.publicKeyLine())
                .node("ok", NodeBehavior.succeed())
                .node("ok-2", NodeBehavior.succeed())
                .node("unverified", NodeBehavior.succeed())
                .node("rekeyed", NodeBehavior.succeed())
                .node("chatty", NodeBehavior.succeedSlowly(200, Duration.ZERO))
                .node("steady", NodeBehavior.succeedSlowly(8, Duration.ofMillis(100)))
                .node("learns-1", NodeBehavior.succeedSlowly(5, Duration.ofMillis(100)))
                .node("learns-2", NodeBehavior.succeedSlowly(5, Duration.ofMillis(100)))
                .node("learns-3", NodeBehavior.succeedSlowly(5, Duration.ofMillis(100)))
                .node("pauses", NodeBehavior.succeedSlowly(3, Duration.ofMillis(1500)))
                .node("warm-up", NodeBehavior.succeed())
                .start();
        // the JVM's first handshake loads and links the SSH and crypto classes: on a loaded machine that alone can
        // outlast the test-sized 500 ms connect timeout, and a test would then count two connect attempts
        installer("accept-new", dir.resolve("kh-warm-up"), watchdog()).install(message("warm-up", "true"));
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
        assertThat(result.commands())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.exitStatus()).isZero());
        assertThat(result.stdoutTail()).contains("[ok] step 3/3");
        assertThat(result.hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(result.hostKey()).isEqualTo(HostKeyCheck.NEW_RECORDED);
        assertThat(result.connectAttempts()).as("%s", result.steps()).isEqualTo(1);
        assertThat(fleet.node("ok").executions())
                .extracting(e -> e.command().substring(e.command().indexOf(AFTER_PRELUDE) + AFTER_PRELUDE.length()))
                .as("each command after the prelude that reads its environment from stdin")
                .containsExactly("sh -c 'apt-get install -y tomcat10'", "true");
    }

    @Test
    void acceptNewRecordsAnUnknownHostAndRejectsAChangedKey() throws Exception {
        Path knownHosts = dir.resolve("kh-rekeyed");
        SshInstaller installer = installer("accept-new", knownHosts, watchdog());
        AttemptResult first = installer.install(message("rekeyed", "true"));
        assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(first.hostKey()).as("trust on first use, on the record").isEqualTo(HostKeyCheck.NEW_RECORDED);
        assertThat(Files.readString(knownHosts))
                .contains("[" + fleet.node("rekeyed").address() + "]:2222");
        AttemptResult again = installer.install(message("rekeyed", "true"));
        assertThat(again.hostKey())
                .as("the second contact checks the recorded key")
                .isEqualTo(HostKeyCheck.KNOWN);
        AttemptResult strictKnown = installer("strict", knownHosts, watchdog()).install(message("rekeyed", "true"));
        assertThat(strictKnown.hostKey()).isEqualTo(HostKeyCheck.KNOWN);

        fleet.node("rekeyed").changeHostKey();
        AttemptResult accepted = installer.install(message("rekeyed", "true"));
        AttemptResult strict = installer("strict", knownHosts, watchdog()).install(message("rekeyed", "true"));

        assertThat(accepted.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(strict.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(accepted.reason()).contains("host key of");
        assertThat(accepted.hostKey())
                .as("a rejected key was verified as nothing")
                .isNull();
        assertThat(fleet.node("rekeyed").executions()).hasSize(3);
    }

    @Test
    void strictRejectsAHostItHasNeverSeen() throws Exception {
        Path knownHosts = Files.createFile(dir.resolve("kh-empty"));

        AttemptResult result = installer("strict", knownHosts, watchdog()).install(message("ok-2", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.HOST_KEY_REJECTED);
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void offConnectsToAnyKeyAndSaysSoForEachConnection() {
        Logger logger = (Logger) LoggerFactory.getLogger(KnownHostsRepository.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        try {
            SshInstaller off = installer("off", dir.resolve("kh-off"), watchdog());
            AttemptResult first = off.install(message("unverified", "true"));
            assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(first.hostKey()).isEqualTo(HostKeyCheck.NOT_VERIFIED);
            fleet.node("unverified").changeHostKey();
            AttemptResult changed = off.install(message("unverified", "true"));
            assertThat(changed.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(changed.hostKey()).isEqualTo(HostKeyCheck.NOT_VERIFIED);
            assertThat(warnings.list)
                    .filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .hasSize(2)
                    .allSatisfy(m -> assertThat(m)
                            .contains("NOT verified", fleet.node("unverified").address()));
        } finally {
            logger.detachAppender(warnings);
        }
    }

    @Test
    void unknownPoliciesAreRefusedRatherThanSilentlyDisablingChecks() {
        assertThatThrownBy(() -> installer("ask", dir.resolve("kh-x"), watchdog()))
                .hasMessageContaining("lazarus.ssh.host-key-policy must be strict, accept-new or off, was 'ask'");
    }

    @Test
    void outputTailsAreBounded() {
        WatchdogProperties small = watchdog(Duration.ofSeconds(5), 0, 64);

        AttemptResult result =
                installer("accept-new", dir.resolve("kh-chatty"), small).install(message("chatty", "true"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.stdoutTail()).hasSizeLessThanOrEqualTo(64).endsWith("[chatty] step 200/200\n");
        assertThat(result.bytesReceived()).isGreaterThan(3000);
    }

    @Test
    void outputThatOutlivesTheCommandTimeoutIsTimedOut() {
        AttemptResult result = installer("accept-new", dir.resolve("kh-steady2"), watchdog())
                .install(new InstallMessage(
                        1,
                        "a-1",
                        "run-t",
                        1,
                        target("steady"),
                        InstallScript.of("s", "true"),
                        new Watchdog(null, null, null, null, null, Duration.ofMillis(350), null, null, null),
                        null,
                        java.util.List.of(),
                        null,
                        null));

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.reason()).contains("command timeout");
    }

    @Test
    void anAdaptiveRunLearnsEachCommandsStallTimeoutFromItsSuccessfulRuns() {
        // the worker's default is off (and a 5 s stall timeout); the run switches it on in its messages
        SshInstaller installer =
                installer("accept-new", dir.resolve("kh-adaptive"), watchdog(Duration.ofSeconds(5), 0, 4096));
        Watchdog adaptive = new Watchdog(null, null, null, null, true, null, null, null, null);
        InstallScript script = InstallScript.of("install.sh", "install");

        for (String learner : List.of("learns-1", "learns-2", "learns-3")) {
            AttemptResult learning = installer.install(message(learner, script, adaptive));
            assertThat(learning.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(learning.commands().getFirst().stallTimeoutLearned())
                    .as("too few samples yet")
                    .isFalse();
        }
        long started = System.nanoTime();
        AttemptResult learned = installer.install(message("pauses", script, adaptive));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        AttemptResult notAdaptive = installer.install(message("pauses", script, Watchdog.DEFAULTS));

        assertThat(notAdaptive.outcome())
                .as("1.5 s pauses are within the configured 5 s")
                .isEqualTo(Outcome.SUCCEEDED);
        assertThat(learned.outcome()).isEqualTo(Outcome.STALLED);
        assertThat(learned.reason()).contains("(learned stall timeout)");
        assertThat(learned.commands().getFirst()).satisfies(c -> {
            assertThat(c.stallTimeoutLearned()).isTrue();
            // about 100 ms gaps, smoothed, plus four deviations; the floor is 200 ms
            assertThat(c.stallTimeoutMs()).isBetween(200L, 1000L);
        });
        assertThat(took).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aStallTimeoutLearnedByTheCoordinatorHoldsTheCommandButNeverBeyondTheConfiguredOne() {
        SshInstaller installer =
                installer("accept-new", dir.resolve("kh-fleet"), watchdog(Duration.ofSeconds(5), 0, 4096));
        InstallScript script = InstallScript.of("install.sh", "install");
        Watchdog shorter = Watchdog.DEFAULTS.withLearnedStall(java.util.Map.of(0, Duration.ofMillis(400)));
        Watchdog longer = Watchdog.DEFAULTS.withLearnedStall(java.util.Map.of(0, Duration.ofMinutes(10)));

        long started = System.nanoTime();
        AttemptResult learned = installer.install(message("pauses", script, shorter));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        AttemptResult capped = installer.install(message("pauses", script, longer));

        assertThat(learned.outcome()).isEqualTo(Outcome.STALLED);
        assertThat(learned.reason()).contains("(learned stall timeout)");
        assertThat(learned.commands().getFirst().stallTimeoutMs()).isEqualTo(400L);
        assertThat(took).isLessThan(Duration.ofMillis(1500));
        assertThat(capped.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(capped.commands().getFirst()).satisfies(c -> {
            assertThat(c.stallTimeoutLearned()).isTrue();
            assertThat(c.stallTimeoutMs()).as("the configured ceiling").isEqualTo(5000L);
        });
    }

    private static WatchdogProperties watchdog() {
        return Installers.watchdog();
    }

    private static WatchdogProperties watchdog(Duration stallTimeout, int stallRetries, int tailBytes) {
        return Installers.watchdog(stallTimeout, stallRetries, tailBytes);
    }

    private static SshInstaller installer(String policy, Path knownHosts, WatchdogProperties watchdog) {
        return new Installers(key).installer(policy, knownHosts, watchdog);
    }

    private static NodeTarget target(String id) {
        SimulatedNode node = fleet.node(id);
        return new NodeTarget(id, node.address(), node.port(), "deploy");
    }

    private static InstallMessage message(String id, InstallScript script, Watchdog watchdog) {
        return InstallMessage.firstAttempt("run-t", target(id), script, watchdog, null);
    }

    private static InstallMessage message(String id, String... commands) {
        return InstallMessage.firstAttempt(
                "run-t", target(id), InstallScript.of("install.sh", List.of(commands)), null, null);
    }
}
