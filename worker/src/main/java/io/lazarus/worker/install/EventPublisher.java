package io.lazarus.worker.install;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.topology.Topology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Publishes attempt events to the registry exchange and returns once the broker has them. The events that come
 * together within {@code lazarus.worker.event-linger} go out as one message per routing key (a JSON array, see {@link
 * EventBatch}): at a thousand sessions a worker reports hundreds of events a second, and every message is a publish, a
 * confirm and a delivery to each queue the broker routes it to, whatever its size. With no linger each event goes
 * alone, as workers sent every event before batching, for coordinators older than that.
 */
@Component
class EventPublisher implements DisposableBean {

    private final RabbitTemplate template;
    private final WorkerProperties properties;
    private final Map<EventType, Counter> published = new EnumMap<>(EventType.class);
    private final Counter messages;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean stopped;

    EventPublisher(RabbitTemplate template, WorkerProperties properties, MeterRegistry registry) {
        this.template = template;
        this.properties = properties;
        for (EventType type : EventType.values()) {
            published.put(
                    type,
                    Counter.builder("lazarus.worker.events.published")
                            .description("Attempt events the broker confirmed, by type: each is a registry write")
                            .tag("type", type.name())
                            .register(registry));
        }
        messages = Counter.builder("lazarus.worker.events.messages")
                .description("Messages the events went out in: each is a broker delivery to every queue bound to it")
                .register(registry);
        sender = Thread.ofPlatform().name("event-publisher").daemon().start(this::send);
    }

    /**
     * Returns once the broker confirmed the event; throws if it refused it or did not answer in time. The event carries
     * this worker's broker login as its user-id, which RabbitMQ checks against the connection: the registry's proof that
     * a worker, and nobody else, reported it.
     */
    void publishConfirmed(AttemptEvent event) throws EventNotConfirmedException {
        Pending mine = new Pending(event, new CompletableFuture<>());
        pending.add(mine);
        if (stopped) {
            mine.confirmed().completeExceptionally(stopping());
        }
        try {
            String refused = mine.confirmed()
                    .get(
                            properties
                                    .confirmTimeout()
                                    .plus(properties.eventLinger())
                                    .toMillis(),
                            TimeUnit.MILLISECONDS);
            if (refused != null) {
                throw new EventNotConfirmedException("broker refused the " + event.type() + " event: " + refused);
            }
            published.get(event.type()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventNotConfirmedException("interrupted while waiting for the broker's confirm");
        } catch (ExecutionException | TimeoutException e) {
            throw new EventNotConfirmedException("no confirm for the " + event.type() + " event: "
                    + (e instanceof ExecutionException ? e.getCause() : e));
        }
    }

    /** Events enqueued after this fail at once: the worker stops, and their messages go back to the queue. */
    @Override
    public void destroy() {
        stopped = true;
        sender.interrupt();
    }

    private static IllegalStateException stopping() {
        return new IllegalStateException("the worker is stopping");
    }

    private void send() {
        List<Pending> batch = new ArrayList<>();
        try {
            while (true) {
                gather(batch);
                try {
                    publishByRoutingKey(batch);
                } catch (RuntimeException e) {
                    fail(batch, e);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            pending.drainTo(batch);
            fail(batch, stopping());
        }
    }

    /** The first event to come, and whatever follows it within the linger. */
    private void gather(List<Pending> batch) throws InterruptedException {
        batch.add(pending.take());
        long until = System.nanoTime() + properties.eventLinger().toNanos();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            Pending next = pending.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        pending.drainTo(batch);
    }

    private void publishByRoutingKey(List<Pending> events) {
        if (properties.eventLinger().isZero()) {
            events.forEach(p -> publish(new EventBatch(p)));
            return;
        }
        Map<String, EventBatch> byKey = new LinkedHashMap<>();
        for (Pending p : events) {
            EventBatch current = byKey.get(p.event().routingKey());
            if (current == null || !current.add(p)) {
                if (current != null) {
                    publish(current);
                }
                byKey.put(p.event().routingKey(), new EventBatch(p));
            }
        }
        byKey.values().forEach(this::publish);
    }

    /** Completes nothing already completed: an event the broker confirmed stays confirmed. */
    private static void fail(List<Pending> events, Throwable why) {
        events.forEach(p -> p.confirmed().completeExceptionally(why));
    }

    private void publish(EventBatch batch) {
        AttemptEvent first = batch.first();
        Message message = MessageBuilder.withBody(batch.json())
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(batch.id())
                .setUserId(template.getConnectionFactory().getUsername())
                .setHeader(Topology.HEADER_RUN_ID, first.runId())
                .build();
        CorrelationData correlation = new CorrelationData(batch.id());
        try {
            template.send(Topology.REGISTRY_EXCHANGE, first.routingKey(), message, correlation);
            messages.increment();
            correlation.getFuture().whenComplete((confirm, failure) -> {
                if (failure != null) {
                    fail(batch.events(), failure);
                    return;
                }
                String refused = confirm.ack()
                        ? null
                        : Objects.requireNonNullElse(
                                confirm.reason(), "no reason given (a queue it routes to may have no leader)");
                batch.events().forEach(p -> p.confirmed().complete(refused));
            });
        } catch (RuntimeException e) {
            fail(batch.events(), e);
        }
    }

    /** An event on its way, and what the broker said of it: null once confirmed, or why it refused it. */
    record Pending(AttemptEvent event, CompletableFuture<String> confirmed) {}

    static final class EventNotConfirmedException extends Exception {
        EventNotConfirmedException(String message) {
            super(message);
        }
    }
}
