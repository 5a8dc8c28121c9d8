package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many handshakes a worker has going at once, as the nodes see it: connections not yet logged in. */
class HandshakeGateTest {

    private static final int NODES = 24;

    @TempDir
    Path dir;

    private ClientKey key;

    @Test
    void withoutAGateEveryDeliveryHandshakesAtOnce() throws Exception {
        try (SimulatedFleet fleet = fleet()) {
            installAll(fleet, NODES);

            assertThat(fleet.mostHandshakesAtOnce())
                    .as("a herd: the %d deliveries' handshakes overlap", NODES)
                    .isGreaterThan(2);
        }
    }

    @Test
    void theGateHoldsTheHandshakesAtOnceToItsSizeAndEveryNodeStillSucceeds() throws Exception {
        try (SimulatedFleet fleet = fleet()) {
            List<AttemptResult> results = installAll(fleet, 2);

            assertThat(results).extracting(AttemptResult::outcome).containsOnly(Outcome.SUCCEEDED);
            assertThat(results).hasSize(NODES);
            assertThat(fleet.mostHandshakesAtOnce()).isBetween(1, 2);
        }
    }

    @Test
    void anAttemptWhoseDeadlinePassesWhileItWaitsTimesOutNamingTheSetting() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        gate.enter(Deadline.after(Duration.ofSeconds(1)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> gate.enter(Deadline.after(Duration.ofMillis(200))))
                .isInstanceOfSatisfying(ConnectFailure.class, failure -> {
                    assertThat(failure.outcome).isEqualTo(Outcome.TIMED_OUT);
                    assertThat(failure.getMessage()).contains("lazarus.ssh.max-handshakes");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(gate.waiting()).isZero();

        gate.leave();
        gate.enter(Deadline.after(Duration.ofMillis(200)));
        assertThat(gate.inProgress()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitIsTheWorkerShuttingDown() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        gate.enter(Deadline.after(Duration.ofSeconds(1)));
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> gate.enter(Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(
                        ConnectFailure.class,
                        failure -> assertThat(failure.outcome).isEqualTo(Outcome.CANCELLED));
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    }

    private SimulatedFleet fleet() throws Exception {
        key = ClientKey.generate(dir);
        return SimulatedFleet.builder()
                .authorizedKey(key.publicKeyLine())
                .nodes(NODES, NodeBehavior.succeed())
                .start();
    }

    /** Every node's install at once, each on a thread of its own, as a worker starts its deliveries. */
    private List<AttemptResult> installAll(SimulatedFleet fleet, int maxHandshakes) throws Exception {
        SshInstaller installer = new Installers(key).installer("accept-new", dir.resolve("known_hosts"), maxHandshakes);
        List<Future<AttemptResult>> running;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            running = fleet.nodes().stream()
                    .map(node -> threads.submit(() -> installer.install(message(node))))
                    .toList();
        }
        return running.stream().map(Future::resultNow).toList();
    }

    private static InstallMessage message(SimulatedNode node) {
        return InstallMessage.firstAttempt(
                "run-gate",
                new NodeTarget(node.id(), node.address(), node.port(), "deploy"),
                InstallScript.of("install.sh", List.of("true")),
                Watchdog.DEFAULTS,
                null);
    }
}
