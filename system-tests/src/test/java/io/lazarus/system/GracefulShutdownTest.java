package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker stopped with SIGTERM while its nodes run, as docker and Kubernetes stop it: what it started finishes and is
 * reported once, what it had not started is left to another worker, nothing is lost or run twice, and it exits 0.
 */
class GracefulShutdownTest {

    private static final Duration INSTALL = Duration.ofSeconds(5);

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create();

    Connection connection;
    Channel events;
    String eventQueue;

    @BeforeEach
    void events() throws Exception {
        connection = system.closeAtEnd(system.broker().newConnection("graceful-shutdown-test"));
        events = connection.createChannel();
    }

    @Test
    void theNodesInFlightFinishAndTheRestGoToAnotherWorker() throws Exception {
        SimulatedFleet fleet = fleet(6);
        WorkerProcess first = worker("first", Map.of("LAZARUS_WORKER_PREFETCH", "3"));
        enqueue();
        await("three nodes run").atMost(Duration.ofSeconds(30)).until(() -> running() == 3);

        Stopped stopped = terminate(first);

        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.took()).isLessThan(INSTALL.plusSeconds(10));
        List<SimulatedNode> started =
                fleet.nodes().stream().filter(n -> !n.executions().isEmpty()).toList();
        assertThat(started)
                .hasSize(3)
                .allSatisfy(n -> assertThat(n.executions())
                        .singleElement()
                        .satisfies(e -> assertThat(e.ending()).isEqualTo(Execution.Ending.EXITED)));
        assertThat(system.broker().messageCount(Topology.INSTALL_QUEUE))
                .as("the unstarted messages, back in the queue")
                .isEqualTo(3);
        List<AttemptEvent> finishedByFirst = finished(drainEvents());
        assertThat(finishedByFirst).hasSize(3).allSatisfy(e -> {
            assertThat(e.worker()).isEqualTo("first");
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        assertThat(finishedByFirst)
                .extracting(AttemptEvent::nodeId)
                .containsExactlyInAnyOrderElementsOf(
                        started.stream().map(SimulatedNode::id).toList());

        worker("second", Map.of());
        List<AttemptEvent> finishedBySecond = new ArrayList<>();
        await("the second worker finishes the rest")
                .atMost(Duration.ofSeconds(60))
                .until(() -> {
                    finishedBySecond.addAll(finished(drainEvents()));
                    return finishedBySecond.size() >= 3;
                });

        assertThat(finishedBySecond).hasSize(3).allSatisfy(e -> {
            assertThat(e.worker()).isEqualTo("second");
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        List<AttemptEvent> all = new ArrayList<>(finishedByFirst);
        all.addAll(finishedBySecond);
        assertThat(all.stream().collect(Collectors.groupingBy(AttemptEvent::nodeId, Collectors.counting())))
                .as("one final outcome per node")
                .hasSize(6)
                .containsOnlyKeys(ids())
                .allSatisfy((node, n) -> assertThat(n).isOne());
        assertThat(fleet.nodes())
                .as("each node ran once")
                .allSatisfy(n -> assertThat(n.executions()).hasSize(1));
    }

    /**
     * The documented behaviour when the grace is shorter than the install: the node is interrupted (its command dies
     * with its session), its message goes back to the queue unreported, and it runs again, whole, on another worker.
     */
    @Test
    void aNodeStillRunningAfterTheGraceGoesBackToTheQueueAndRunsAgainElsewhere() throws Exception {
        SimulatedFleet fleet = fleet(1);
        WorkerProcess first = worker("first", Map.of("LAZARUS_WORKER_SHUTDOWN_GRACE", "1s"));
        enqueue();
        await("the node runs").atMost(Duration.ofSeconds(30)).until(() -> running() == 1);

        Stopped stopped = terminate(first);

        SimulatedNode node = fleet.nodes().getFirst();
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.took()).isLessThan(INSTALL);
        await("the node sees its session end").atMost(Duration.ofSeconds(5)).until(() -> node.running() == 0);
        assertThat(node.executions())
                .singleElement()
                .satisfies(e -> assertThat(e.ending()).isEqualTo(Execution.Ending.TORN_DOWN));
        assertThat(system.broker().messageCount(Topology.INSTALL_QUEUE))
                .as("the interrupted node's message")
                .isEqualTo(1);
        List<AttemptEvent> byFirst = drainEvents();
        assertThat(byFirst)
                .extracting(AttemptEvent::type)
                .as("the torn-down attempt started, perhaps sent what the node printed so far, and never finished")
                .startsWith(EventType.STARTED)
                .isSubsetOf(EventType.STARTED, EventType.OUTPUT)
                .containsOnlyOnce(EventType.STARTED);

        worker("second", Map.of());
        List<AttemptEvent> bySecond = new ArrayList<>();
        await("the second worker runs it").atMost(Duration.ofSeconds(60)).until(() -> {
            bySecond.addAll(drainEvents());
            return !finished(bySecond).isEmpty();
        });

        assertThat(finished(bySecond)).singleElement().satisfies(e -> {
            assertThat(e.worker()).isEqualTo("second");
            assertThat(e.redelivered()).isTrue();
            assertThat(e.attemptId()).isEqualTo(byFirst.getFirst().attemptId());
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        assertThat(node.executions())
                .extracting(Execution::ending)
                .containsExactly(Execution.Ending.TORN_DOWN, Execution.Ending.EXITED);
    }

    private SimulatedFleet fleet(int nodes) throws Exception {
        return system.startFleet(fleet -> fleet.nodes(nodes, NodeBehavior.install(INSTALL, 10)));
    }

    private WorkerProcess worker(String id, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("LAZARUS_WORKER_ID", id);
        return system.startWorker(environment);
    }

    private record Stopped(int exitCode, Duration took) {}

    private static Stopped terminate(WorkerProcess worker) throws InterruptedException {
        long sent = System.nanoTime();
        int exitCode = worker.terminate(Duration.ofSeconds(60));
        return new Stopped(exitCode, Duration.ofNanos(System.nanoTime() - sent));
    }

    /** Binds a queue to every run's events, then enqueues the fleet as one run (no --wait: the workers are watched). */
    private void enqueue() throws Exception {
        eventQueue = events.queueDeclare().getQueue();
        events.queueBind(eventQueue, Topology.REGISTRY_EXCHANGE, "run.#");
        LazarusCli.Result enqueued = system.lazarus(
                "run", "--inventory", system.inventory("fleet", system.fleet().nodes()), "--script", system.script());
        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    }

    private int running() {
        return system.fleet().nodes().stream().mapToInt(SimulatedNode::running).sum();
    }

    private List<String> ids() {
        return system.fleet().nodes().stream().map(SimulatedNode::id).toList();
    }

    private List<AttemptEvent> drainEvents() {
        List<AttemptEvent> drained = new ArrayList<>();
        try {
            for (GetResponse event = events.basicGet(eventQueue, true);
                    event != null;
                    event = events.basicGet(eventQueue, true)) {
                drained.addAll(Contracts.readEvents(event.getBody()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return drained;
    }

    private static List<AttemptEvent> finished(List<AttemptEvent> events) {
        return events.stream().filter(e -> e.type() == EventType.FINISHED).toList();
    }
}
