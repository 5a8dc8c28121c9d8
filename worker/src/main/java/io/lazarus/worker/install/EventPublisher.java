package io.lazarus.worker.install;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/** Publishes attempt events to the registry exchange and waits until the broker has them. */
@Component
class EventPublisher {

    private final RabbitTemplate template;
    private final WorkerProperties properties;
    private final Map<EventType, Counter> published = new EnumMap<>(EventType.class);

    EventPublisher(RabbitTemplate template, WorkerProperties properties, MeterRegistry registry) {
        this.template = template;
        this.properties = properties;
        for (EventType type : EventType.values()) {
            published.put(
                    type,
                    Counter.builder("lazarus.worker.events.published")
                            .description("Attempt events the broker confirmed, by type: each is a delivery to the"
                                    + " coordinator and a registry write")
                            .tag("type", type.name())
                            .register(registry));
        }
    }

    /**
     * Returns once the broker confirmed the event; throws if it refused it or did not answer in time. The event carries
     * this worker's broker login as its user-id, which RabbitMQ checks against the connection: the registry's proof that
     * a worker, and nobody else, reported it.
     */
    void publishConfirmed(AttemptEvent event) throws EventNotConfirmedException {
        // an attempt's output comes in many events, told apart by their first chunk
        String id = event.attemptId() + "/" + event.type()
                + (event.type() == EventType.OUTPUT
                        ? "/" + event.output().getFirst().seq()
                        : "");
        Message message = MessageBuilder.withBody(Contracts.toJson(event))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(id)
                .setUserId(template.getConnectionFactory().getUsername())
                .setHeader(Topology.HEADER_RUN_ID, event.runId())
                .setHeader(Topology.HEADER_NODE_ID, event.nodeId())
                .build();
        CorrelationData correlation = new CorrelationData(id);
        try {
            template.send(Topology.REGISTRY_EXCHANGE, event.routingKey(), message, correlation);
            CorrelationData.Confirm confirm =
                    correlation.getFuture().get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.ack()) {
                throw new EventNotConfirmedException("broker refused the " + event.type() + " event: "
                        + (confirm.reason() != null
                                ? confirm.reason()
                                : "no reason given (a queue it routes to may have no leader)"));
            }
            published.get(event.type()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventNotConfirmedException("interrupted while waiting for the broker's confirm");
        } catch (ExecutionException | TimeoutException | org.springframework.amqp.AmqpException e) {
            throw new EventNotConfirmedException("no confirm for the " + event.type() + " event: " + e);
        }
    }

    static final class EventNotConfirmedException extends Exception {
        EventNotConfirmedException(String message) {
            super(message);
        }
    }
}
