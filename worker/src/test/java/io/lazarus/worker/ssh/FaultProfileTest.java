package io.lazarus.worker.ssh;

import static io.lazarus.worker.ssh.Installers.AUTH_TIMEOUT;
import static io.lazarus.worker.ssh.Installers.BACKOFF;
import static io.lazarus.worker.ssh.Installers.CONNECT_ATTEMPTS;
import static io.lazarus.worker.ssh.Installers.CONNECT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault profile of the simulated fleet, each against the installer: the exact outcome, and that it arrived
 * within the time the configuration allows (connect timeout 500 ms, auth timeout 700 ms, 3 connect attempts with at
 * most 100 ms of backoff, plus {@link #SLACK} for a loaded 2-core machine).
 */
class FaultProfileTest {

    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration STALL = Duration.ofMillis(400);

    @TempDir
    static Path dir;

    static Installers installers;
    static SimulatedFleet fleet;

    @BeforeAll
    static void fleet() throws Exception {
        ClientKey key = ClientKey.generate(dir);
        installers = new Installers(key);
        fleet = SimulatedFleet.builder()
                .authorizedKey(key.publicKeyLine())
                .node("refuses", NodeBehavior.refuseConnection())
                .node("no-banner", NodeBehavior.noBanner())
                .node("rejects-auth", NodeBehavior.rejectAuth())
                .node("hangs-auth", NodeBehavior.hangAuth())
                .node("rekeyed", NodeBehavior.changedHostKey())
                .node("stalls", NodeBehavior.stallAfter(2))
                .node("drops", NodeBehavior.dropAfter(2))
                .node("apt", NodeBehavior.aptFailure())
                .node("flaky", NodeBehavior.flaky(2))
                .node("flaky-once", NodeBehavior.flaky(1))
                .node("slow", NodeBehavior.succeedSlowly(8, Duration.ofMillis(100)))
                .start();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    /** Whatever the fault, the installer leaves no session open: no socket, and so no thread, waits on a node. */
    @AfterEach
    void noSessionOutlivesItsAttempt() throws Exception {
        for (SimulatedNode node : fleet.nodes()) {
            awaitTrue(() -> node.openSessions() == 0, node.id() + " still has an open SSH session");
        }
    }

    @Test
    void connectionRefused() {
        Timed timed = timed(() -> install("refuses"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(timed.result.connectAttempts()).isEqualTo(CONNECT_ATTEMPTS);
        assertThat(timed.result.reason()).contains("after 3 attempt(s)").containsIgnoringCase("refused");
        assertThat(timed.result.steps())
                .extracting(AttemptStep::phase)
                .containsExactly("connect", "connect", "connect");
        assertThat(timed.took).isLessThan(BACKOFF.multipliedBy(2).plus(SLACK));
    }

    @Test
    void tcpAcceptedButNoBanner() {
        Timed timed = timed(() -> install("no-banner"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(timed.result.reason()).endsWith("after 3 attempt(s): no SSH handshake within 500ms");
        assertThat(timed.took)
                .isBetween(
                        CONNECT_TIMEOUT.multipliedBy(3),
                        CONNECT_TIMEOUT
                                .multipliedBy(3)
                                .plus(BACKOFF.multipliedBy(2))
                                .plus(SLACK));
    }

    @Test
    void authenticationRejected() {
        Timed timed = timed(() -> install("rejects-auth"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.AUTH_FAILED);
        assertThat(timed.result.connectAttempts())
                .as("a credential verdict is not retried")
                .isEqualTo(1);
        assertThat(timed.result.hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(fleet.node("rejects-auth").executions()).isEmpty();
        assertThat(timed.took).isLessThan(SLACK);
    }

    @Test
    void authenticationThatNeverAnswers() throws Exception {
        Timed timed = timed(() -> install("hangs-auth"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(timed.result.reason()).endsWith("after 3 attempt(s): authentication did not finish within 700ms");
        assertThat(timed.took)
                .isBetween(
                        AUTH_TIMEOUT.multipliedBy(3),
                        CONNECT_TIMEOUT
                                .plus(AUTH_TIMEOUT)
                                .multipliedBy(3)
                                .plus(BACKOFF.multipliedBy(2))
                                .plus(SLACK));
        awaitTrue(() -> fleet.node("hangs-auth").openSessions() == 0, "the hung sessions are closed, not leaked");
    }

    @Test
    void changedHostKeyIsRejectedUnderStrictAndAcceptNew() throws Exception {
        Path knownHosts = fleet.writeKnownHosts(dir.resolve("kh-fleet"));
        String before = Files.readString(knownHosts);

        for (String policy : List.of("strict", "accept-new")) {
            Timed timed = timed(() -> installers
                    .installer(policy, knownHosts, Installers.watchdog())
                    .install(message("rekeyed", "true")));

            assertThat(timed.result.outcome()).as(policy).isEqualTo(Outcome.HOST_KEY_REJECTED);
            assertThat(timed.result.connectAttempts()).isEqualTo(1);
            assertThat(timed.took).isLessThan(SLACK);
        }
        assertThat(fleet.node("rekeyed").executions()).isEmpty();
        assertThat(Files.readString(knownHosts))
                .as("a changed key is never recorded")
                .isEqualTo(before);
    }

    @Test
    void stallAfterSomeOutputIsTornDownRetriedOnAFreshSessionThenStalled() throws Exception {
        SimulatedNode node = fleet.node("stalls");
        Timed timed = timed(() -> installers
                .installer("accept-new", dir.resolve("kh-stall"), Installers.watchdog(STALL, 1, 4096))
                .install(message("stalls", "install")));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.STALLED);
        assertThat(timed.result.reason())
                .isEqualTo("command 1/1 printed nothing for 400ms in each of 2 runs; its session was torn down");
        assertThat(timed.result.steps())
                .extracting(AttemptStep::phase, AttemptStep::outcome)
                .containsExactly(
                        tuple("connect", Outcome.SUCCEEDED), tuple("command", Outcome.STALLED),
                        tuple("connect", Outcome.SUCCEEDED), tuple("command", Outcome.STALLED));
        assertThat(timed.result.commands()).singleElement().satisfies(c -> {
            assertThat(c.attempts()).isEqualTo(2);
            assertThat(c.stallTimeoutMs()).isEqualTo(400);
            assertThat(c.exitStatus()).isNull();
        });
        assertThat(timed.result.silenceMs()).isGreaterThanOrEqualTo(STALL.toMillis());
        assertThat(timed.result.stdoutTail()).contains("[stalls] step 1/");
        assertThat(timed.took)
                .isBetween(STALL.multipliedBy(2), STALL.multipliedBy(2).plus(SLACK));
        assertThat(node.awaitIdle(Duration.ofSeconds(2)))
                .as("the remote command died with its session")
                .isTrue();
        assertThat(node.executions())
                .extracting(Execution::ending)
                .containsExactly(Execution.Ending.TORN_DOWN, Execution.Ending.TORN_DOWN);
    }

    @Test
    void sessionDroppedMidCommand() {
        Timed timed = timed(() -> install("drops"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.DISCONNECTED);
        assertThat(timed.result.reason()).isEqualTo("command 1/1 session dropped before an exit status");
        assertThat(timed.result.exitStatus()).isNull();
        assertThat(timed.result.stdoutTail()).contains("[drops] step 2/");
        assertThat(timed.took).isLessThan(SLACK);
    }

    @Test
    void nonZeroExitWithAptLikeStderr() {
        Timed timed = timed(() -> install("apt", "apt-get install -y tomcat9", "echo never"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(timed.result.exitStatus()).isEqualTo(100);
        assertThat(timed.result.stderrTail()).isEqualTo("E: Unable to locate package tomcat9\n");
        assertThat(timed.result.reason()).isEqualTo("command 1/2 exited 100: E: Unable to locate package tomcat9");
        assertThat(fleet.node("apt").executions()).hasSize(1);
        assertThat(timed.took).isLessThan(SLACK);
    }

    @Test
    void flakyNodeSucceedsWithinTheCommandAttemptsAndEveryRunIsVisible() {
        Timed timed = timed(() -> installers
                .installer("accept-new", dir.resolve("kh-flaky"), Installers.watchdog(STALL, 1, 3, 4096))
                .install(message("flaky", "install")));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(timed.result.commands())
                .singleElement()
                .satisfies(c -> assertThat(c.attempts()).isEqualTo(3));
        assertThat(timed.result.steps())
                .extracting(AttemptStep::phase, AttemptStep::number, AttemptStep::outcome)
                .containsExactly(
                        tuple("connect", 1, Outcome.SUCCEEDED),
                        tuple("command", 1, Outcome.COMMAND_FAILED),
                        tuple("command", 2, Outcome.COMMAND_FAILED),
                        tuple("command", 3, Outcome.SUCCEEDED));
        assertThat(timed.took).isLessThan(SLACK);
    }

    @Test
    void flakyNodeWithOneCommandAttemptFailsWithTheLockHolder() {
        Timed timed = timed(() -> install("flaky-once"));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(timed.result.reason()).isEqualTo("command 1/1 exited 100: " + NodeBehavior.DPKG_LOCKED.strip());
        assertThat(timed.took).isLessThan(SLACK);
    }

    @Test
    void slowButSteadyOutputIsNeverAStall() {
        Timed timed = timed(() -> installers
                .installer("accept-new", dir.resolve("kh-slow"), Installers.watchdog(STALL, 0, 4096))
                .install(message("slow", "install")));

        assertThat(timed.result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(timed.result.commands())
                .singleElement()
                .satisfies(c -> assertThat(c.longestSilenceMs()).isLessThan(400));
        assertThat(timed.took)
                .isBetween(Duration.ofMillis(700), Duration.ofMillis(800).plus(SLACK));
    }

    private record Timed(AttemptResult result, Duration took) {}

    private static Timed timed(Supplier<AttemptResult> install) {
        long started = System.nanoTime();
        AttemptResult result = install.get();
        return new Timed(result, Duration.ofNanos(System.nanoTime() - started));
    }

    private static AttemptResult install(String id, String... commands) {
        return installers
                .installer("accept-new", dir.resolve("kh-" + id), Installers.watchdog(STALL, 1, 4096))
                .install(message(id, commands.length == 0 ? new String[] {"install"} : commands));
    }

    static InstallMessage message(String id, String... commands) {
        SimulatedNode node = fleet.node(id);
        return InstallMessage.firstAttempt(
                "run-faults",
                new NodeTarget(id, node.address(), node.port(), "deploy"),
                InstallScript.of("install.sh", List.of(commands)),
                Watchdog.DEFAULTS,
                null);
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what);
            }
            Thread.sleep(50);
        }
    }
}
