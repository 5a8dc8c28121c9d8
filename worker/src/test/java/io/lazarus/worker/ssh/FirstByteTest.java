package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each handshake tells its observers when the node's first byte came: what the in-flight limit follows. */
class FirstByteTest {

    private static final Duration LATE = Duration.ofSeconds(1);
    /** Room for the late banner and a handshake on a busy machine. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static ClientKey key;
    static SimulatedFleet fleet;

    private final List<Duration[]> heard = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SshMetrics metrics =
            new SshMetrics(registry, List.of((latency, firstByte) -> heard.add(new Duration[] {latency, firstByte})));

    @BeforeAll
    static void fleet() throws Exception {
        key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder()
                .authorizedKey(key.publicKeyLine())
                .node("ok", NodeBehavior.succeed())
                .start();
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aNodeThatAnswersLateShowsInTheFirstByteAndTheHandshake() throws Exception {
        SimulatedNode node = fleet.node("ok");
        try (LateFirstByteProxy late = new LateFirstByteProxy(node.address(), node.port(), LATE)) {
            AttemptResult result = install(new NodeTarget("ok", "127.0.0.1", late.port(), "deploy"), "kh-late");

            assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
        }

        assertThat(heard).hasSize(1);
        Duration handshake = heard.getFirst()[0];
        Duration firstByte = heard.getFirst()[1];
        assertThat(firstByte).isGreaterThanOrEqualTo(LATE).isLessThanOrEqualTo(handshake);
        assertThat(registry.get("lazarus.ssh.first-byte").timer().count()).isEqualTo(1);
    }

    @Test
    void aNodeThatAnswersAtOnceHasAShortFirstByte() {
        SimulatedNode node = fleet.node("ok");

        AttemptResult result = install(new NodeTarget("ok", node.address(), node.port(), "deploy"), "kh-direct");

        assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(heard).hasSize(1);
        assertThat(heard.getFirst()[1]).isPositive().isLessThan(LATE).isLessThanOrEqualTo(heard.getFirst()[0]);
    }

    private AttemptResult install(NodeTarget target, String knownHosts) {
        SshInstaller installer =
                new Installers(key).installer("accept-new", dir.resolve(knownHosts), CONNECT_TIMEOUT, metrics);
        return installer.install(InstallMessage.firstAttempt(
                "run-first-byte", target, InstallScript.of("install.sh", List.of("true")), null, null));
    }
}
