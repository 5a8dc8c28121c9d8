package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installer against a real OpenSSH sshd on loopback: the happy path, a stall, a dropped session, a signal. */
class OpenSshInstallerTest {

    @TempDir
    static Path dir;

    static Installers installers;
    static OpenSshServer sshd;

    @BeforeAll
    static void start() throws Exception {
        ClientKey key = ClientKey.generate(dir);
        installers = new Installers(key);
        sshd = OpenSshServer.start(Files.createDirectories(dir.resolve("sshd")), "127.0.3.1", key.publicKeyLine());
    }

    @AfterAll
    static void stop() throws Exception {
        sshd.close();
    }

    @Test
    void aHealthyInstallSucceedsAndTheHostKeyIsRecordedAndReported() throws Exception {
        Path knownHosts = dir.resolve("kh-happy");
        SshInstaller installer = installers.installer("accept-new", knownHosts, Installers.watchdog());

        AttemptResult result = installer.install(message("echo installing; echo 'a warning' >&2", "test -d /"));

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitStatus()).isZero();
        assertThat(result.commands()).hasSize(2);
        // on a pseudo-terminal the node merges stderr into stdout
        assertThat(result.stdoutTail()).contains("installing\n", "a warning\n").doesNotContain("\r");
        assertThat(Files.readString(knownHosts)).contains("[" + sshd.host() + "]:" + sshd.port() + " ssh-ed25519 ");
        assertThat(result.hostKeyFingerprint()).isEqualTo(fingerprintOf(sshd.hostKeyLine()));
        assertThat(installer.install(message("true")).outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void aStalledCommandIsKilledOnTheNodeRetriedOnAFreshSessionThenStalled() throws Exception {
        String marker = "sleep " + (3600 + ThreadLocalRandom.current().nextInt(100_000)) + ".5";
        // 2 s, not 1: on a loaded machine a login and the first echo can take a second, and the tail would be empty
        WatchdogProperties watchdog = Installers.watchdog(Duration.ofSeconds(2), 1, 4096);
        long started = System.nanoTime();

        AttemptResult result = installers
                .installer("accept-new", dir.resolve("kh-stall"), watchdog)
                .install(message("echo started; " + marker + "; echo never"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.STALLED);
        assertThat(result.reason())
                .isEqualTo("command 1/1 printed nothing for 2s in each of 2 runs; its session was torn down");
        assertThat(result.connectAttempts()).isEqualTo(2);
        assertThat(result.steps())
                .extracting(AttemptStep::phase, AttemptStep::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("connect", Outcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("command", Outcome.STALLED),
                        org.assertj.core.groups.Tuple.tuple("connect", Outcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("command", Outcome.STALLED));
        assertThat(result.silenceMs()).isBetween(2000L, 3000L);
        assertThat(result.stdoutTail()).contains("started").doesNotContain("never");
        // two stalls of 2 s each, plus two logins
        assertThat(took).isLessThan(Duration.ofSeconds(9));
        awaitNoProcess(marker, Duration.ofSeconds(5));
    }

    @Test
    void aSessionDroppedMidCommandIsDisconnected() {
        long started = System.nanoTime();

        AttemptResult result = installers
                .installer("accept-new", dir.resolve("kh-drop"), Installers.watchdog())
                .install(message("echo working; sleep 0.3; kill -9 $PPID; sleep 30"));

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.DISCONNECTED);
        assertThat(result.reason()).contains("command 1/1", "dropped");
        assertThat(result.exitStatus()).isNull();
        assertThat(result.stdoutTail()).contains("working");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aCommandKilledByASignalReportsTheSignal() {
        AttemptResult result = installers
                .installer("accept-new", dir.resolve("kh-signal"), Installers.watchdog())
                .install(message("echo going; kill -KILL $$"));

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.exitSignal()).isEqualTo("KILL");
        assertThat(result.exitStatus()).isNull();
        assertThat(result.reason()).isEqualTo("command 1/1 killed by signal KILL");
    }

    @Test
    void aCommandThatReadsStdinGetsEndOfFileAtOnceOnThePseudoTerminal() throws Exception {
        assertAskingFailsAtOnce(true, "kh-stdin-pty", "Continue?", "read answer || exit 7; read again || exit 8");
    }

    @Test
    void aCommandThatReadsStdinGetsEndOfFileAtOnceWithoutAPseudoTerminal() throws Exception {
        assertAskingFailsAtOnce(false, "kh-stdin", "Continue?", "read answer || exit 7; read again || exit 8");
    }

    /** sudo, ssh and passwd ask on the terminal itself, not on stdin: on a pseudo-terminal that read ends at once too. */
    @Test
    void aCommandThatAsksOnTheTerminalItselfGetsEndOfFileAtOnce() throws Exception {
        assertAskingFailsAtOnce(true, "kh-tty", "Password:", "read secret </dev/tty || exit 7");
    }

    /** The question is printed, the read that follows ends at once, and the command exits 7. */
    private static void assertAskingFailsAtOnce(boolean pty, String knownHosts, String question, String reads)
            throws Exception {
        WatchdogProperties watchdog = Installers.watchdog(Duration.ofSeconds(20), 0, 4096);
        long started = System.nanoTime();

        AttemptResult result = installers
                .installer("accept-new", dir.resolve(knownHosts), watchdog, pty)
                .install(message("echo '" + question + "'; " + reads + "; echo never"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.exitStatus()).isEqualTo(7);
        assertThat(result.stdoutTail()).contains(question).doesNotContain("never");
        assertThat(took).as("not the 20 s stall timeout").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void secretsReachTheScriptOnAPseudoTerminalNeverItsCommandLineAndAreMaskedInWhatItPrinted() throws Exception {
        assertSecretsReachTheScript(true);
    }

    @Test
    void secretsReachTheScriptWithoutAPseudoTerminal() throws Exception {
        assertSecretsReachTheScript(false);
    }

    private static void assertSecretsReachTheScript(boolean pty) throws Exception {
        String password = "pw-" + ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50) + "'s \"tricky\" $x";
        String key = "-----BEGIN-----\nline two of the key\n-----END-----";
        Path cmdline = dir.resolve("cmdline-" + pty);
        SshInstaller installer =
                installers.installer("accept-new", dir.resolve("kh-secrets-" + pty), Installers.watchdog(), pty);

        AttemptResult result = installer.install(
                message(
                        "test \"$DB_PASSWORD\" = '" + password.replace("'", "'\\''") + "' || exit 10",
                        "test \"$DEPLOY_KEY\" = \"$(printf '%s\\n%s\\n%s' '-----BEGIN-----' 'line two of the key' '-----END-----')\" || exit 11",
                        "tr '\\0' ' ' < /proc/$$/cmdline > " + cmdline + "; echo \"visible; password is $DB_PASSWORD\";"
                                + " echo \"$DEPLOY_KEY\"; echo \"token=$DB_PASSWORD\" >&2; exit 3"),
                installer.secrets(java.util.Map.of("DB_PASSWORD", password, "DEPLOY_KEY", key)));

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.COMMAND_FAILED);
        assertThat(result.exitStatus())
                .as("the first two commands saw the values: " + result.reason())
                .isEqualTo(3);
        assertThat(result.commands()).hasSize(3);
        String everything = result.stdoutTail() + result.stderrTail() + result.reason();
        assertThat(everything)
                .contains("visible; password is ****", "****")
                .doesNotContain(password)
                .doesNotContain("line two of the key");
        assertThat(result.reason()).isEqualTo("command 3/3 exited 3: token=****");
        assertThat(everything).as("the terminal did not echo the exports").doesNotContain("export ", "LAZARUS_ENV_END");
        assertThat(Files.readString(cmdline))
                .as("the command line seen by ps")
                .contains("__lz_env")
                .doesNotContain(password)
                .doesNotContain("line two");
    }

    @Test
    void withoutSecretsTheConfiguredPatternsAreStillMasked() {
        AttemptResult result = installers
                .installer("accept-new", dir.resolve("kh-patterns"), Installers.watchdog())
                .install(message("echo 'connecting with password=hunter2 as AKIAIOSFODNN7EXAMPLE'; exit 4"));

        assertThat(result.stdoutTail()).contains("password=**** as ****").doesNotContain("hunter2", "AKIA");
        assertThat(result.reason()).isEqualTo("command 1/1 exited 4: connecting with password=**** as ****");
    }

    private static InstallMessage message(String... commands) {
        NodeTarget node = new NodeTarget("openssh", sshd.host(), sshd.port(), sshd.user());
        return InstallMessage.firstAttempt(
                "run-openssh", node, InstallScript.of("install.sh", List.of(commands)), null, null);
    }

    private static String fingerprintOf(String publicKeyLine) throws Exception {
        Path file = Files.writeString(dir.resolve("fp-" + System.nanoTime() + ".pub"), publicKeyLine + "\n");
        Process keygen = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", file.toString()).start();
        String line = new String(keygen.getInputStream().readAllBytes()).strip();
        keygen.waitFor();
        return line.split(" ")[1];
    }

    private static void awaitNoProcess(String commandLine, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            if (ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains(commandLine))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + commandLine + "' still runs on the node " + within + " after the stall");
    }
}
