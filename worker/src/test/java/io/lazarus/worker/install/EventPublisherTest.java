package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.worker.install.EventPublisher.EventNotConfirmedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Events published at once by many attempts, on a real broker: they go out as one message per routing key, every
 * caller returns once the broker confirmed its event, and a refusal reaches every caller of the message refused.
 */
class EventPublisherTest {

    private final RabbitBroker broker = RabbitBroker.shared();
    private final String runId = "pub-" + UUID.randomUUID().toString().substring(0, 8);
    private final InstallScript script = InstallScript.of("install.sh", List.of("true"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CachingConnectionFactory connectionFactory;
    private Connection connection;
    private Channel channel;
    private String queue;
    private EventPublisher publisher;

    @BeforeEach
    void broker() throws Exception {
        connectionFactory = new CachingConnectionFactory(broker.uri());
        connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connection = broker.newConnection("event-publisher-test");
        channel = connection.createChannel();
        channel.exchangeDeclare(Topology.REGISTRY_EXCHANGE, "topic", true);
    }

    @AfterEach
    void close() throws Exception {
        if (publisher != null) {
            publisher.destroy();
        }
        if (queue != null) {
            channel.queueDelete(queue);
        }
        connection.close();
        connectionFactory.destroy();
    }

    @Test
    void eventsThatComeTogetherGoOutAsOneMessagePerRoutingKeyAndEachCallerReturnsOnceConfirmed() throws Exception {
        bindQueue(Map.of());
        publisher = publisher(Duration.ofMillis(500));
        List<AttemptEvent> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            InstallMessage install = install(i);
            sent.add(AttemptEvent.started(install, "worker-1", false, "x-" + i));
            if (i % 3 == 0) {
                sent.add(AttemptEvent.finished(
                        install, "worker-1", false, AttemptResult.without(Outcome.SUCCEEDED, ""), "x-" + i));
            }
        }

        publishAtOnce(sent);

        List<GetResponse> messages = drain(queue);
        List<AttemptEvent> received = new ArrayList<>();
        for (GetResponse message : messages) {
            List<AttemptEvent> events = Contracts.readEvents(message.getBody());
            assertThat(events)
                    .as("a message's events share its routing key")
                    .allSatisfy(e -> assertThat(e.routingKey())
                            .isEqualTo(message.getEnvelope().getRoutingKey()));
            received.addAll(events);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(messages)
                .as("40 events of two routing keys, published within the linger: one message each, give or take a"
                        + " thread that came late")
                .hasSizeBetween(2, 6);
        assertThat(meters.get("lazarus.worker.events.messages").counter().count())
                .isEqualTo(messages.size());
        assertThat(meters.get("lazarus.worker.events.published")
                        .tag("type", "STARTED")
                        .counter()
                        .count())
                .isEqualTo(30);
    }

    @Test
    void aMessageTheBrokerRefusesFailsEveryEventInIt() throws Exception {
        // a full queue that refuses what comes: the broker nacks the publish
        bindQueue(Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
        publisher = publisher(Duration.ofMillis(300));
        List<AttemptEvent> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(AttemptEvent.started(install(i), "worker-1", false, "x-" + i));
        }

        List<Throwable> failures = publishAtOnce(sent);

        assertThat(failures)
                .hasSize(5)
                .allSatisfy(f -> assertThat(f)
                        .isInstanceOf(EventNotConfirmedException.class)
                        .hasMessageStartingWith("broker refused the STARTED event"));
        assertThat(meters.get("lazarus.worker.events.published")
                        .tag("type", "STARTED")
                        .counter()
                        .count())
                .isZero();
    }

    @Test
    void withoutALingerEachEventGoesAloneAsAnOlderCoordinatorReadsIt() throws Exception {
        bindQueue(Map.of());
        publisher = publisher(Duration.ZERO);
        List<AttemptEvent> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(AttemptEvent.started(install(i), "worker-1", false, "x-" + i));
        }

        publishAtOnce(sent);

        List<GetResponse> messages = drain(queue);
        assertThat(messages).hasSize(10);
        assertThat(messages.stream().map(m -> Contracts.readEvent(m.getBody())))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aStoppedPublisherRefusesAtOnce() {
        publisher = publisher(Duration.ZERO);
        publisher.destroy();
        long start = System.nanoTime();
        assertThatThrownBy(() -> publisher.publishConfirmed(AttemptEvent.started(install(0), "worker-1", false, "x")))
                .isInstanceOf(EventNotConfirmedException.class)
                .hasMessageContaining("stopping");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** A queue of this test's run's events, with these arguments. */
    private void bindQueue(Map<String, Object> arguments) throws Exception {
        queue = channel.queueDeclare("lazarus.test.events-" + runId, false, false, false, arguments)
                .getQueue();
        channel.queueBind(queue, Topology.REGISTRY_EXCHANGE, Topology.runEventsPattern(runId));
    }

    /** Each event from a thread of its own, all let go at once; the failures, in no order. */
    private List<Throwable> publishAtOnce(List<AttemptEvent> events) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (AttemptEvent event : events) {
                calls.add(threads.submit(() -> {
                    go.await();
                    publisher.publishConfirmed(event);
                    return null;
                }));
            }
            go.countDown();
        }
        List<Throwable> failures = new ArrayList<>();
        for (Future<?> call : calls) {
            if (call.state() == Future.State.FAILED) {
                failures.add(call.exceptionNow());
            }
        }
        return failures;
    }

    private List<GetResponse> drain(String queue) throws Exception {
        List<GetResponse> messages = new ArrayList<>();
        for (GetResponse m = channel.basicGet(queue, true); m != null; m = channel.basicGet(queue, true)) {
            messages.add(m);
        }
        return messages;
    }

    private EventPublisher publisher(Duration linger) {
        WorkerProperties properties =
                new WorkerProperties(10, "worker-1", Duration.ofSeconds(10), List.of(), null, 1_048_576, linger);
        return new EventPublisher(new RabbitTemplate(connectionFactory), properties, meters);
    }

    private InstallMessage install(int i) {
        NodeTarget node = new NodeTarget("web-" + i, "127.1.0." + (i + 1), 22, "deploy");
        return InstallMessage.firstAttempt(
                runId, node, script, null, Instant.now().plusSeconds(3600));
    }
}
