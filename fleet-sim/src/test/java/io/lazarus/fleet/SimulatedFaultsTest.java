package io.lazarus.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lazarus.fleet.Execution.Ending;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each fault profile, seen from a real SSH client (MINA's). */
class SimulatedFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    static final KeyPair CLIENT_KEY = HostKeys.generate();
    static SimulatedFleet fleet;
    static SshClient client;

    @BeforeAll
    static void start() throws Exception {
        fleet = fleet().node("stall", NodeBehavior.stallAfter(2))
                .node("drop", NodeBehavior.dropAfter(2))
                .node("flaky", NodeBehavior.flaky(2))
                .node("ok", NodeBehavior.succeed())
                .node("rekeyed", NodeBehavior.changedHostKey())
                .node("re-imaged-later", NodeBehavior.succeed())
                .node("rhythm", NodeBehavior.install(Duration.ofMillis(800), 5))
                .start();
        client = client((session, address, key) -> true);
    }

    @AfterAll
    static void stop() {
        client.close(true);
        fleet.close();
    }

    @Test
    void aStallingNodePrintsThenStaysSilentUntilTheClientClosesTheChannel() throws Exception {
        SimulatedNode node = fleet.node("stall");
        try (ClientSession session = authenticated(client, node)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChannelExec channel = session.createExecChannel("apt-get install -y tomcat10");
            channel.setOut(out);
            channel.open().verify(WAIT);

            await().atMost(WAIT)
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains("[stall] step 2/2"));
            assertThat(channel.waitFor(
                            Set.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.CLOSED), Duration.ofMillis(300)))
                    .contains(ClientChannelEvent.TIMEOUT)
                    .doesNotContain(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.CLOSED);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[stall] step 1/2\n[stall] step 2/2\n");
            assertThat(node.running()).isEqualTo(1);
            assertThat(node.executions())
                    .singleElement()
                    .extracting(Execution::ending)
                    .isEqualTo(Ending.RUNNING);

            channel.close(false).await(WAIT);

            assertThat(node.awaitIdle(WAIT)).isTrue();
            assertThat(node.running()).isZero();
            assertThat(node.executions())
                    .singleElement()
                    .extracting(Execution::ending)
                    .isEqualTo(Ending.TORN_DOWN);
            assertThat(channel.getExitStatus()).isNull();
            assertThat(node.openSessions()).isEqualTo(1);
        }
        await().atMost(WAIT).until(() -> node.openSessions() == 0);
    }

    @Test
    void aDroppingNodePrintsThenClosesTheConnectionWithoutAnExitStatus() throws Exception {
        SimulatedNode node = fleet.node("drop");
        try (ClientSession session = authenticated(client, node)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChannelExec channel = session.createExecChannel("apt-get install -y tomcat10");
            channel.setOut(out);
            channel.open().verify(WAIT);

            assertThat(channel.waitFor(Set.of(ClientChannelEvent.CLOSED), WAIT)).contains(ClientChannelEvent.CLOSED);
            await().atMost(WAIT).until(session::isClosed);

            assertThat(channel.getExitStatus()).isNull();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("[drop] step 1/2\n");
            assertThat(node.executions())
                    .singleElement()
                    .extracting(Execution::ending)
                    .isEqualTo(Ending.DROPPED);
            assertThat(node.running()).isZero();
        }
        await().atMost(WAIT).until(() -> node.openSessions() == 0);
    }

    @Test
    void aFlakyNodeFindsDpkgLockedForItsFirstCommandsThenSucceeds() throws Exception {
        SimulatedNode node = fleet.node("flaky");
        try (ClientSession session = authenticated(client, node)) {
            List<Result> results = List.of(
                    exec(session, "apt-get install -y tomcat10"),
                    exec(session, "apt-get install -y tomcat10"),
                    exec(session, "apt-get install -y tomcat10"));

            assertThat(results).extracting(Result::exit).containsExactly(100, 100, 0);
            assertThat(results.subList(0, 2))
                    .extracting(Result::stderr)
                    .containsOnly(
                            "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)\n");
            assertThat(results.getLast().stderr()).isEmpty();
            assertThat(results.getLast().stdout()).endsWith("[flaky] step 3/3\n");
        }
        assertThat(node.executions()).extracting(Execution::exitCode).containsExactly(100, 100, 0);
        assertThat(node.executions()).extracting(Execution::ending).containsOnly(Ending.EXITED);
    }

    @Test
    void aReImagedNodePresentsAnotherKeyThanTheKnownHostsTheFleetWrites() throws Exception {
        SimulatedNode ok = fleet.node("ok");
        SimulatedNode rekeyed = fleet.node("rekeyed");
        SimulatedNode later = fleet.node("re-imaged-later");
        Path knownHosts = fleet.writeKnownHosts(dir.resolve("known_hosts"));

        assertThat(Files.readAllLines(knownHosts))
                .hasSize(fleet.nodes().size())
                .contains("[" + ok.address() + "]:2222 "
                        + PublicKeyEntry.toString(ok.hostKey().getPublic()))
                .contains("[" + rekeyed.address() + "]:2222 " + PublicKeyEntry.toString(rekeyed.advertisedHostKey()))
                .allMatch(
                        line -> line.matches("\\[127\\.\\d+\\.0\\.\\d+]:2222 ecdsa-sha2-nistp256 AAAA[A-Za-z0-9+/=]+"));
        assertThat(rekeyed.hostKey().getPublic()).isNotEqualTo(rekeyed.advertisedHostKey());
        assertThat(ok.hostKey().getPublic()).isEqualTo(ok.advertisedHostKey());
        try (ClientSession session = authenticated(client, rekeyed)) {
            assertThat(session.getServerKey()).isEqualTo(rekeyed.hostKey().getPublic());
            assertThat(exec(session, "true").exit()).isZero();
        }

        SshClient strict = client(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        try {
            authenticated(strict, ok).close();
            authenticated(strict, later).close();
            assertThatThrownBy(() -> authenticated(strict, rekeyed))
                    .hasStackTraceContaining("Server key did not validate");

            later.changeHostKey();

            assertThat(later.advertisedHostKey()).isNotEqualTo(later.hostKey().getPublic());
            assertThatThrownBy(() -> authenticated(strict, later))
                    .hasStackTraceContaining("Server key did not validate");
        } finally {
            strict.close(true);
        }
        assertThat(rekeyed.executions()).hasSize(1);
    }

    @Test
    void aHangingNodeExchangesKeysButNeverAnswersTheAuthentication() throws Exception {
        try (SimulatedFleet hanging =
                fleet().node("hang", NodeBehavior.hangAuth()).start()) {
            SimulatedNode node = hanging.node("hang");
            ClientSession abandoned = connected(client, node);
            try (ClientSession session = connected(client, node)) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> session.auth().verify(Duration.ofSeconds(1)))
                        .hasMessageContaining("timeout");

                assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                assertThat(session.getServerKey()).isEqualTo(node.hostKey().getPublic());
                assertThat(session.isAuthenticated()).isFalse();
                assertThat(session.isOpen()).isTrue();
                assertThat(node.openSessions()).isEqualTo(2);
            }
            await().atMost(WAIT).until(() -> node.openSessions() == 1);

            abandoned.auth();
            long closing = System.nanoTime();
            hanging.close();

            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
            // a read that completes after the stopped server shut its executor down throws on the JDK's epoll thread
            // ("Executor has been shut down"): MINA's shutdown, not the node's behaviour, so it does not fail the wait
            await().atMost(WAIT).dontCatchUncaughtExceptions().until(abandoned::isClosed);
            assertThat(node.executions()).isEmpty();
        }
    }

    @Test
    void anInstallSpreadsItsLinesEvenlyOverItsDuration() throws Exception {
        SimulatedNode node = fleet.node("rhythm");
        try (ClientSession session = authenticated(client, node)) {
            List<Long> lineTimes = new CopyOnWriteArrayList<>();
            ChannelExec channel = session.createExecChannel("sh install.sh");
            channel.setOut(new OutputStream() {
                @Override
                public void write(int b) {
                    if (b == '\n') {
                        lineTimes.add(System.nanoTime());
                    }
                }
            });
            long started = System.nanoTime();
            channel.open().verify(WAIT);
            channel.waitFor(Set.of(ClientChannelEvent.CLOSED), WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(channel.getExitStatus()).isZero();
            assertThat(took).isBetween(Duration.ofMillis(780), Duration.ofMillis(2500));
            assertThat(lineTimes).hasSize(5);
            // lines at about 0, 160, 320, 480 and 640 ms
            assertThat(Duration.ofNanos(lineTimes.getLast() - lineTimes.getFirst()))
                    .isBetween(Duration.ofMillis(600), Duration.ofMillis(2000));
            for (int i = 1; i < lineTimes.size(); i++) {
                assertThat(Duration.ofNanos(lineTimes.get(i) - lineTimes.get(i - 1)))
                        .as("gap before line %d", i + 1)
                        .isGreaterThan(Duration.ofMillis(40));
            }
        }
    }

    private static SimulatedFleet.Builder fleet() {
        return SimulatedFleet.builder().authorizedKey(PublicKeyEntry.toString(CLIENT_KEY.getPublic()));
    }

    private static SshClient client(ServerKeyVerifier verifier) {
        SshClient sshClient = SshClient.setUpDefaultClient();
        sshClient.setServerKeyVerifier(verifier);
        sshClient.start();
        return sshClient;
    }

    private static ClientSession connected(SshClient sshClient, SimulatedNode node) throws Exception {
        ClientSession session = sshClient
                .connect("deploy", node.address(), node.port())
                .verify(WAIT)
                .getClientSession();
        session.addPublicKeyIdentity(CLIENT_KEY);
        return session;
    }

    private static ClientSession authenticated(SshClient sshClient, SimulatedNode node) throws Exception {
        ClientSession session = connected(sshClient, node);
        try {
            session.auth().verify(WAIT);
            return session;
        } catch (Exception e) {
            session.close(true);
            throw e;
        }
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result exec(ClientSession session, String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(WAIT);
            channel.waitFor(Set.of(ClientChannelEvent.CLOSED), WAIT);
            return new Result(
                    channel.getExitStatus(),
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
