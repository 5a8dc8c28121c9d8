package io.lazarus.coordinator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.registry.InMemoryRegistry;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.run.rabbit.EventBatchConsumer;
import io.lazarus.testkit.RabbitBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Strangers' events in the same batch as a worker's, on a real broker: the consumer fills one batch with all of them,
 * the gate drops each stranger by reason, the worker's event alone is recorded, every message is acknowledged (none
 * comes back to be tried again), and the consumer goes on to the next batch.
 */
class EventGateBatchTest {

    private final RabbitBroker broker = RabbitBroker.shared();
    private final String queue = "lazarus.test.event-gate-" + UUID.randomUUID();
    private final RegistryStore registry = InMemoryRegistry.create();
    private final InstallScript script = InstallScript.of("install.sh", List.of("true"));
    private final List<List<AttemptEvent>> batches = new CopyOnWriteArrayList<>();
    private CachingConnectionFactory connectionFactory;
    private Connection publisher;
    private Channel channel;
    private EventBatchConsumer consumer;

    @BeforeEach
    void broker() throws Exception {
        connectionFactory = new CachingConnectionFactory(broker.uri());
        publisher = broker.newConnection("event-gate-test");
        channel = publisher.createChannel();
        channel.queueDeclare(queue, false, false, false, null);
    }

    @AfterEach
    void close() throws Exception {
        if (consumer != null) {
            consumer.stop();
        }
        channel.queueDelete(queue);
        publisher.close();
        connectionFactory.destroy();
    }

    @Test
    void strangersInAWorkersBatchAreDroppedByReasonAndOnlyTheWorkersEventIsRecorded() throws Exception {
        String worker = connectionFactory.getUsername();
        EventGate gate = new EventGate(
                registry, new TrustProperties(Set.of(worker), Set.of()), connectionFactory, new SimpleMeterRegistry());
        NodeTarget node = new NodeTarget("web-01", "127.1.0.1", 22, "deploy");
        Instant now = Instant.now();
        createRun("run-gate", List.of(node));
        InstallMessage released = InstallMessage.firstAttempt("run-gate", node, script, null, now.plusSeconds(3600));
        registry.recordReleasing("run-gate", List.of(released), now);
        InstallMessage neverReleased =
                InstallMessage.firstAttempt("run-gate", node, script, null, now.plusSeconds(3600));
        AttemptResult succeeded = AttemptResult.without(Outcome.SUCCEEDED, "");

        publish("{\"schemaVersion\":1,\"type\":\"FINISHED\",".getBytes(StandardCharsets.UTF_8), worker);
        publish(Contracts.toJson(AttemptEvent.started(released, "worker-a", false, "execution-1")), worker);
        publish(Contracts.toJson(AttemptEvent.finished(released, "worker-a", false, succeeded, "execution-1")), null);
        publish(Contracts.toJson(AttemptEvent.finished(neverReleased, "worker-a", false, succeeded, "x")), worker);
        publish(new byte[EventGate.MAX_EVENT_BYTES + 1], worker);
        // the worker's own login, a released attempt, its number written as a string: refused, not coerced
        String finished = new String(
                Contracts.toJson(AttemptEvent.finished(released, "worker-a", false, succeeded, "execution-1")),
                StandardCharsets.UTF_8);
        assertThat(finished).contains("\"attempt\":1,");
        publish(finished.replace("\"attempt\":1,", "\"attempt\":\"1\",").getBytes(StandardCharsets.UTF_8), worker);
        consumer = EventBatchConsumer.of("gate-test", connectionFactory, queue, gate, batch -> {
            // recorded first: the wait below ends once a batch is seen, and the registry is read right after
            registry.recordAdmitted(batch);
            batches.add(batch);
        });
        consumer.start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> gate.dropped().values().stream()
                                        .mapToLong(Long::longValue)
                                        .sum()
                                == 5
                        && !batches.isEmpty());
        assertThat(batches)
                .as("the six arrived as one batch; the worker's event alone was admitted from it")
                .singleElement()
                .satisfies(batch -> assertThat(batch)
                        .extracting(AttemptEvent::type, AttemptEvent::attemptId)
                        .containsExactly(tuple(EventType.STARTED, released.attemptId())));
        assertThat(gate.dropped())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("unreadable", 2L, "not-a-worker", 1L, "not-dispatched", 1L, "too-large", 1L));
        assertThat(registry.node("run-gate", "web-01").orElseThrow().state())
                .as("the forged outcome did not finish the node")
                .isEqualTo(NodeState.RUNNING);
        assertThat(registry.attempts("run-gate", "web-01"))
                .singleElement()
                .satisfies(attempt -> assertThat(attempt.outcome()).isNull());

        publish(Contracts.toJson(AttemptEvent.finished(released, "worker-a", false, succeeded, "execution-1")), worker);
        await().atMost(Duration.ofSeconds(10))
                .alias("the consumer goes on after a batch of strangers")
                .until(() -> registry.node("run-gate", "web-01").orElseThrow().state() == NodeState.SUCCEEDED);
        assertThat(batches).hasSize(2);
        consumer.stop();
        consumer = null;
        assertThat(broker.messageCount(queue))
                .as("every message acknowledged, the strangers' too: none comes back once the consumer is gone")
                .isZero();
    }

    @Test
    void aWorkersMessageOfSeveralEventsIsJudgedEventByEventAndAForgedDeadLetterInItIsDropped() throws Exception {
        String worker = connectionFactory.getUsername();
        // the coordinator's own login, which alone may report a dead letter: never used to connect here
        CachingConnectionFactory coordinatorLogin = new CachingConnectionFactory("127.0.0.1");
        coordinatorLogin.setUsername("the-coordinator");
        EventGate gate = new EventGate(
                registry, new TrustProperties(Set.of(worker), Set.of()), coordinatorLogin, new SimpleMeterRegistry());
        NodeTarget web1 = new NodeTarget("web-01", "127.1.0.1", 22, "deploy");
        NodeTarget web2 = new NodeTarget("web-02", "127.1.0.2", 22, "deploy");
        Instant now = Instant.now();
        createRun("run-gate-batch", List.of(web1, web2));
        InstallMessage first = InstallMessage.firstAttempt("run-gate-batch", web1, script, null, now.plusSeconds(3600));
        InstallMessage second =
                InstallMessage.firstAttempt("run-gate-batch", web2, script, null, now.plusSeconds(3600));
        registry.recordReleasing("run-gate-batch", List.of(first, second), now);
        AttemptEvent forged = AttemptEvent.deadLettered(
                second.attemptId(),
                "run-gate-batch",
                "web-02",
                1,
                "the-coordinator",
                new io.lazarus.common.contract.DeadLetter("rejected", "lazarus.install", now, 1));
        String batch = "["
                + String.join(
                        ",",
                        new String(
                                Contracts.toJson(AttemptEvent.started(first, "worker-a", false, "e-1")),
                                StandardCharsets.UTF_8),
                        new String(Contracts.toJson(forged), StandardCharsets.UTF_8),
                        new String(
                                Contracts.toJson(AttemptEvent.started(second, "worker-a", false, "e-2")),
                                StandardCharsets.UTF_8))
                + "]";
        publish(batch.getBytes(StandardCharsets.UTF_8), worker);
        consumer = EventBatchConsumer.of("gate-test", connectionFactory, queue, gate, recorded -> {
            registry.recordAdmitted(recorded);
            batches.add(recorded);
        });
        consumer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> !batches.isEmpty());
        assertThat(batches.getFirst())
                .as("the worker's two events, in the order they came; not the dead letter a worker may not report")
                .extracting(AttemptEvent::type, AttemptEvent::nodeId)
                .containsExactly(tuple(EventType.STARTED, "web-01"), tuple(EventType.STARTED, "web-02"));
        assertThat(gate.dropped()).containsExactlyEntriesOf(Map.of("not-a-coordinator", 1L));
        assertThat(registry.node("run-gate-batch", "web-02").orElseThrow().state())
                .isEqualTo(NodeState.RUNNING);
    }

    /** A run of these nodes, created as a coordinator creates one, none of them released yet. */
    private void createRun(String runId, List<NodeTarget> nodes) {
        Instant now = Instant.now();
        StringBuilder inventory = new StringBuilder();
        nodes.forEach(n -> inventory.append(n.user() + "@" + n.host() + " name=" + n.id() + "\n"));
        registry.createRun(
                new RunRecord(
                        runId,
                        now,
                        now.plus(Duration.ofHours(1)),
                        RunState.RUNNING,
                        script.name(),
                        script.sha256(),
                        script.commands(),
                        inventory.toString(),
                        "{}",
                        0,
                        null,
                        null),
                nodes);
    }

    /** Published with this user-id (RabbitMQ refuses one that is not the publishing login's), or none. */
    private void publish(byte[] body, String userId) throws Exception {
        channel.basicPublish(
                "", queue, new AMQP.BasicProperties.Builder().userId(userId).build(), body);
    }
}
