package io.lazarus.common.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.RabbitBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.context.support.GenericApplicationContext;

/** The topology against a real broker: declared twice without conflict, and its arguments do what they claim. */
@ExtendWith(RabbitBrokerExtension.class)
class TopologyTest {

    private static final TopologySettings SETTINGS = new TopologySettings(2, 0, true);

    private final RabbitBroker broker;

    TopologyTest(RabbitBroker broker) {
        this.broker = broker;
    }

    @BeforeEach
    @AfterEach
    void freshTopology() {
        broker.delete(Topology.QUEUES, Topology.EXCHANGES);
    }

    @Test
    void declaringTwiceFromTwoApplicationsIsIdempotent() {
        declare();
        declare();

        assertThat(broker.messageCount(Topology.INSTALL_QUEUE)).isZero();
        assertThat(broker.messageCount(Topology.RESURRECTION_QUEUE)).isZero();
    }

    @Test
    void aRejectedInstallMessageDeadLettersToTheResurrectionQueue() throws Exception {
        declare();
        try (Connection connection = broker.newConnection("topology-test");
                Channel channel = connection.createChannel()) {
            publish(channel, "rejected");
            GetResponse got = channel.basicGet(Topology.INSTALL_QUEUE, false);
            channel.basicReject(got.getEnvelope().getDeliveryTag(), false);

            GetResponse dead = awaitMessage(channel, Topology.RESURRECTION_QUEUE);
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("rejected");
            assertThat(dead.getProps().getHeaders()).containsKey("x-death");
        }
    }

    @Test
    void aMessageWhoseConsumersKeepCrashingDeadLettersAtTheDeliveryLimit() throws Exception {
        declare();
        try (Connection connection = broker.newConnection("topology-test")) {
            try (Channel channel = connection.createChannel()) {
                publish(channel, "poison");
            }
            int deliveries = 0;
            while (deliveries < 10) {
                // A consumer that dies with the message unacked: its channel closes, the broker takes the message back.
                try (Channel crashing = connection.createChannel()) {
                    GetResponse got = awaitMessageOrNull(crashing, Topology.INSTALL_QUEUE);
                    if (got == null) {
                        break;
                    }
                    deliveries++;
                }
            }

            assertThat(deliveries)
                    .as("deliveries before dead-lettering")
                    .isBetween(SETTINGS.deliveryLimit(), SETTINGS.deliveryLimit() + 1);
            try (Channel channel = connection.createChannel()) {
                GetResponse dead = awaitMessage(channel, Topology.RESURRECTION_QUEUE);
                assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("poison");
            }
        }
    }

    @Test
    void runEventsAreRoutedByRunId() throws Exception {
        declare();
        try (Connection connection = broker.newConnection("topology-test");
                Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, Topology.REGISTRY_EXCHANGE, Topology.runEventsPattern("run-a"));
            channel.basicPublish(
                    Topology.REGISTRY_EXCHANGE, Topology.eventRoutingKey("run-a", "succeeded"), null, "a".getBytes());
            channel.basicPublish(
                    Topology.REGISTRY_EXCHANGE, Topology.eventRoutingKey("run-b", "succeeded"), null, "b".getBytes());
            channel.basicPublish(
                    Topology.REGISTRY_EXCHANGE, Topology.eventRoutingKey("run-a", "started"), null, "c".getBytes());

            assertThat(new String(awaitMessage(channel, queue).getBody())).isEqualTo("a");
            assertThat(new String(awaitMessage(channel, queue).getBody())).isEqualTo("c");
            assertThat(channel.basicGet(queue, true)).isNull();
        }
    }

    @Test
    void aQueueDeclaredWithOtherArgumentsIsAConflictToldByTheReplyCode() throws Exception {
        try (Connection connection = broker.newConnection("topology-test");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(Topology.INSTALL_QUEUE, true, false, false, null);
        }

        Queue install = Topology.declarables(SETTINGS).getDeclarablesByType(Queue.class).stream()
                .filter(q -> q.getName().equals(Topology.INSTALL_QUEUE))
                .findFirst()
                .orElseThrow();
        CachingConnectionFactory factory = new CachingConnectionFactory(broker.uri());
        try {
            assertThatThrownBy(() -> new RabbitAdmin(factory).declareQueue(install))
                    .satisfies(e -> assertThat(TopologyConflict.replyText(e))
                            .hasValueSatisfying(
                                    text -> assertThat(text).startsWith("PRECONDITION_FAILED - inequivalent arg")));
        } finally {
            factory.destroy();
        }
    }

    @Test
    void aMissingQueueIsNoConflict() throws Exception {
        try (Connection connection = broker.newConnection("topology-test")) {
            Channel channel = connection.createChannel(); // closed by the broker's refusal
            assertThatThrownBy(() -> channel.queueDeclarePassive(Topology.INSTALL_QUEUE))
                    .satisfies(e -> assertThat(TopologyConflict.replyText(e)).isEmpty());
        }
    }

    private void declare() {
        CachingConnectionFactory factory = new CachingConnectionFactory(broker.uri());
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean(
                    "topology", org.springframework.amqp.core.Declarables.class, () -> Topology.declarables(SETTINGS));
            context.refresh();
            RabbitAdmin admin = new RabbitAdmin(factory);
            admin.setApplicationContext(context);
            admin.afterPropertiesSet();
            admin.initialize();
        } finally {
            factory.destroy();
        }
    }

    private static void publish(Channel channel, String body) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(
                Topology.INSTALL_EXCHANGE,
                Topology.INSTALL_ROUTING_KEY,
                true,
                MessageProperties.PERSISTENT_BASIC,
                body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    private static GetResponse awaitMessage(Channel channel, String queue) throws Exception {
        GetResponse response = awaitMessageOrNull(channel, queue);
        if (response == null) {
            throw new AssertionError("no message arrived in " + queue + " within 3s");
        }
        return response;
    }

    private static GetResponse awaitMessageOrNull(Channel channel, String queue) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(3));
        while (Instant.now().isBefore(until)) {
            GetResponse response =
                    channel.basicGet(queue, queue.equals(Topology.RESURRECTION_QUEUE) || queue.startsWith("amq."));
            if (response != null) {
                return response;
            }
            Thread.sleep(20);
        }
        return null;
    }
}
