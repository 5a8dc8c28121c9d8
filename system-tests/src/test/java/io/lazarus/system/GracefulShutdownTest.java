package io.lazarus.system;

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
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker stopped with SIGTERM while its nodes run, as docker and Kubernetes stop it: what it started finishes and is
 * reported once, what it had not started is left to another worker, nothing is lost or run twice, and it exits 0.
 */
class GracefulShutdownTest {

    private static final Duration INSTALL = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    RabbitBroker broker;
    ClientKey key;
    SimulatedFleet fleet;
    Connection connection;
    Channel events;
    String eventQueue;
    final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void broker() throws Exception {
        broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        key = ClientKey.generate(dir);
        connection = broker.newConnection("graceful-shutdown-test");
        events = connection.createChannel();
    }

    @AfterEach
    void stop() throws Exception {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        connection.close();
    }

    @Test
    void theNodesInFlightFinishAndTheRestGoToAnotherWorker() throws Exception {
        fleet = fleet(6);
        WorkerProcess first = worker("first", Map.of("LAZARUS_WORKER_PREFETCH", "3"));
        enqueue();
        SystemTests.awaitTrue("three nodes run", () -> running() == 3, Duration.ofSeconds(30));

        Stopped stopped = terminate(first);

        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.took()).isLessThan(INSTALL.plusSeconds(10));
        List<SimulatedNode> started = fleet.nodes().stream().filter(n -> !n.executions().isEmpty()).toList();
        assertThat(started).hasSize(3).allSatisfy(n -> assertThat(n.executions()).singleElement()
                .satisfies(e -> assertThat(e.ending()).isEqualTo(Execution.Ending.EXITED)));
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).as("the unstarted messages, back in the queue").isEqualTo(3);
        List<AttemptEvent> finishedByFirst = finished(drainEvents());
        assertThat(finishedByFirst).hasSize(3).allSatisfy(e -> {
            assertThat(e.worker()).isEqualTo("first");
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        assertThat(finishedByFirst).extracting(AttemptEvent::nodeId)
                .containsExactlyInAnyOrderElementsOf(started.stream().map(SimulatedNode::id).toList());

        worker("second", Map.of());
        List<AttemptEvent> finishedBySecond = new ArrayList<>();
        SystemTests.awaitTrue("the second worker finishes the rest", () -> {
            finishedBySecond.addAll(finished(drainEvents()));
            return finishedBySecond.size() >= 3;
        }, Duration.ofSeconds(60));

        assertThat(finishedBySecond).hasSize(3).allSatisfy(e -> {
            assertThat(e.worker()).isEqualTo("second");
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        List<AttemptEvent> all = new ArrayList<>(finishedByFirst);
        all.addAll(finishedBySecond);
        assertThat(all.stream().collect(Collectors.groupingBy(AttemptEvent::nodeId, Collectors.counting())))
                .as("one final outcome per node").hasSize(6).containsOnlyKeys(ids()).allSatisfy((node, n) -> assertThat(n).isOne());
        assertThat(fleet.nodes()).as("each node ran once").allSatisfy(n -> assertThat(n.executions()).hasSize(1));
    }

    /**
     * The documented behaviour when the grace is shorter than the install: the node is interrupted (its command dies
     * with its session), its message goes back to the queue unreported, and it runs again, whole, on another worker.
     */
    @Test
    void aNodeStillRunningAfterTheGraceGoesBackToTheQueueAndRunsAgainElsewhere() throws Exception {
        fleet = fleet(1);
        WorkerProcess first = worker("first", Map.of("LAZARUS_WORKER_SHUTDOWN_GRACE", "1s"));
        enqueue();
        SystemTests.awaitTrue("the node runs", () -> running() == 1, Duration.ofSeconds(30));

        Stopped stopped = terminate(first);

        SimulatedNode node = fleet.nodes().getFirst();
        assertThat(stopped.exitCode()).isZero();
        assertThat(stopped.took()).isLessThan(INSTALL);
        SystemTests.awaitTrue("the node sees its session end", () -> node.running() == 0, Duration.ofSeconds(5));
        assertThat(node.executions()).singleElement()
                .satisfies(e -> assertThat(e.ending()).isEqualTo(Execution.Ending.TORN_DOWN));
        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).as("the interrupted node's message").isEqualTo(1);
        List<AttemptEvent> byFirst = drainEvents();
        assertThat(byFirst).extracting(AttemptEvent::type).containsExactly(EventType.STARTED);

        worker("second", Map.of());
        List<AttemptEvent> bySecond = new ArrayList<>();
        SystemTests.awaitTrue("the second worker runs it", () -> {
            bySecond.addAll(drainEvents());
            return !finished(bySecond).isEmpty();
        }, Duration.ofSeconds(60));

        assertThat(finished(bySecond)).singleElement().satisfies(e -> {
            assertThat(e.worker()).isEqualTo("second");
            assertThat(e.redelivered()).isTrue();
            assertThat(e.attemptId()).isEqualTo(byFirst.getFirst().attemptId());
            assertThat(e.result().outcome()).isEqualTo(Outcome.SUCCEEDED);
        });
        assertThat(node.executions()).extracting(Execution::ending)
                .containsExactly(Execution.Ending.TORN_DOWN, Execution.Ending.EXITED);
    }

    private SimulatedFleet fleet(int nodes) throws Exception {
        return SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .nodes(nodes, NodeBehavior.install(INSTALL, 10)).start();
    }

    private WorkerProcess worker(String id, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(settings);
        environment.put("LAZARUS_WORKER_ID", id);
        WorkerProcess worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"),
                environment, List.of(), Processes.logs("system-tests"));
        workers.add(worker);
        return worker;
    }

    private record Stopped(int exitCode, Duration took) {
    }

    private static Stopped terminate(WorkerProcess worker) throws InterruptedException {
        long sent = System.nanoTime();
        int exitCode = worker.terminate(Duration.ofSeconds(60));
        return new Stopped(exitCode, Duration.ofNanos(System.nanoTime() - sent));
    }

    /** Binds a queue to every run's events, then enqueues the fleet as one run (no --wait: the workers are watched). */
    private void enqueue() throws Exception {
        eventQueue = events.queueDeclare().getQueue();
        events.queueBind(eventQueue, Topology.REGISTRY_EXCHANGE, "run.#");
        Path inventory = fleet.writeInventory(dir.resolve("fleet.txt"), "deploy");
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
        LazarusCli.Result enqueued = new LazarusCli(broker).run("run", "--inventory", inventory.toString(),
                "--script", script.toString());
        assertThat(enqueued.exitCode()).as(enqueued.toString()).isZero();
    }

    private int running() {
        return fleet.nodes().stream().mapToInt(SimulatedNode::running).sum();
    }

    private List<String> ids() {
        return fleet.nodes().stream().map(SimulatedNode::id).toList();
    }

    private List<AttemptEvent> drainEvents() {
        List<AttemptEvent> drained = new ArrayList<>();
        try {
            for (GetResponse event = events.basicGet(eventQueue, true); event != null; event = events.basicGet(eventQueue, true)) {
                drained.add(Contracts.readEvent(event.getBody()));
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
