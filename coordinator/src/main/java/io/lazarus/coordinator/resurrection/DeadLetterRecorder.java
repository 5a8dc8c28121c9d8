package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.Printable;
import io.lazarus.coordinator.dispatch.InstallDispatcher;
import io.lazarus.coordinator.registry.RegistryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Turns every dead letter into a DEAD_LETTERED event: recorded in this registry if it knows the run, and published on
 * the registry exchange, so whoever follows the run records it too, with the broker's reason. It reads {@code lazarus.dead-letters}, the dead-letter exchange's second queue: the
 * candidates in {@code lazarus.resurrection} stay where they are. Any coordinator process may run it, several at
 * once: each dead letter becomes one event, published and confirmed before it is acknowledged.
 */
@Component
public class DeadLetterRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterRecorder.class);

    private final ConnectionFactory connectionFactory;
    private final InstallDispatcher publisher;
    private final RegistryStore registry;
    private final String recorderId = "coordinator-" + ProcessHandle.current().pid();
    private DirectMessageListenerContainer container;

    DeadLetterRecorder(ConnectionFactory connectionFactory, InstallDispatcher publisher, RegistryStore registry) {
        this.connectionFactory = connectionFactory;
        this.publisher = publisher;
        this.registry = registry;
    }

    /** Starts recording, once per process; the topology must be declared. */
    public synchronized void start() {
        if (container != null) {
            return;
        }
        container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.DEAD_LETTER_RECORD_QUEUE);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(50);
        // RabbitMQ 3.10 may not answer the cancel of a quorum-queue consumer, and the container would wait its 5 s
        // default at every exit; a record cut short is not acknowledged, goes back to the queue and is recorded again
        container.setShutdownTimeout(0);
        container.setMessageListener(message -> {
            MessageProperties props = message.getMessageProperties();
            DeadLetteredMessage dead = DeadLetteredMessage.read(props.getMessageId(), props.getHeaders());
            AttemptEvent event = AttemptEvent.deadLettered(
                    dead.attemptId(), dead.runId(), dead.nodeId(), dead.attempt(), recorderId, dead.deadLetter());
            // recorded here when this registry knows the run, and published for whoever follows it; a failure throws,
            // and the container gives the record back to be tried again
            registry.record(event);
            publisher.publishConfirmed(
                    Topology.REGISTRY_EXCHANGE,
                    event.routingKey(),
                    false,
                    MessageBuilder.withBody(Contracts.toJson(event))
                            .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                            .setMessageId(event.attemptId() + "/dead")
                            .build());
            log.info(
                    "{} {} attempt {} dead-lettered: {}",
                    Printable.of(dead.runId(), 64),
                    Printable.of(dead.nodeId(), 128),
                    dead.attempt(),
                    Printable.of(dead.deadLetter().reason(), 200));
        });
        container.start();
    }

    @Override
    public synchronized void close() {
        if (container != null) {
            container.stop();
            container.destroy();
            container = null;
        }
    }
}
