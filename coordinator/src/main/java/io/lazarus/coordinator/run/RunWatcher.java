package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.trust.EventGate;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The run's own event queue, {@code lazarus.run.<runId>}, bound to the registry before the first install message is
 * published, so that no event can be missed. The queue survives a coordinator that dies and deletes itself an hour
 * after its last consumer left.
 */
final class RunWatcher implements AutoCloseable {

    private final BlockingQueue<AttemptEvent> events = new LinkedBlockingQueue<>();
    private final SimpleMessageListenerContainer container;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunWatcher(ConnectionFactory connectionFactory, AmqpAdmin admin, String runId, EventGate gate,
            Consumer<List<AttemptEvent>> record) {
        Declarables declarables = Topology.runEvents(runId);
        Queue queue = declarables.getDeclarablesByType(Queue.class).getFirst();
        admin.declareQueue(queue);
        declarables.getDeclarablesByType(Binding.class).forEach(admin::declareBinding);
        // recorded before the broker hears the ack: a coordinator killed now finds it in the registry or gets it again
        container = EventBatches.consume(connectionFactory, queue.getName(), gate, batch -> {
            record.accept(batch);
            events.addAll(batch);
        });
    }

    /**
     * Declares and binds the run's queue (again, when a run is resumed: its buffered events are kept). Every batch of
     * events the gate admits is handed to {@code record} before it is acknowledged, then buffered for {@link #poll}.
     */
    static RunWatcher bind(ConnectionFactory connectionFactory, AmqpAdmin admin, String runId, EventGate gate,
            Consumer<List<AttemptEvent>> record) {
        return new RunWatcher(connectionFactory, admin, runId, gate, record);
    }

    void start() {
        container.start();
    }

    /** Every event buffered now, waiting up to {@code wait} for the first; empty if none arrived. */
    List<AttemptEvent> poll(Duration wait) throws InterruptedException {
        AttemptEvent first = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<AttemptEvent> batch = new ArrayList<>();
        batch.add(first);
        events.drainTo(batch);
        return batch;
    }

    /** Stops consuming; the queue stays (and expires) so nothing is lost if the run is followed again. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            container.stop();
            container.destroy();
        }
    }
}
