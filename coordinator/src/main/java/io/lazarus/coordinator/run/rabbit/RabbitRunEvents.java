package io.lazarus.coordinator.run.rabbit;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.resurrection.DeadLetterRecorder;
import io.lazarus.coordinator.run.RunEvents;
import io.lazarus.coordinator.trust.EventGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The run's own event queue, {@code lazarus.run.<runId>}, bound to the registry before the first install message is
 * published, so that no event can be missed. The queue survives a coordinator that dies and deletes itself an hour
 * after its last consumer left. A followed run's dead letters reach it too: the {@link DeadLetterRecorder} turns each
 * into a DEAD_LETTERED event on the registry exchange.
 */
@Component
class RabbitRunEvents implements RunEvents, DisposableBean {

    private static final long STOP_WAIT_SECONDS = 3;

    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final EventGate gate;
    private final DeadLetterRecorder deadLetters;
    private final Set<CompletableFuture<Void>> stopping = ConcurrentHashMap.newKeySet();

    RabbitRunEvents(
            ConnectionFactory connectionFactory, AmqpAdmin admin, EventGate gate, DeadLetterRecorder deadLetters) {
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.gate = gate;
        this.deadLetters = deadLetters;
    }

    @Override
    public void keep(String runId) {
        declare(runId);
    }

    /** Declares and binds the run's queue (again, when a run is resumed: its buffered events are kept). */
    @Override
    public Stream open(String runId, Consumer<List<AttemptEvent>> record) {
        Watcher watcher = new Watcher(declare(runId), record);
        watcher.consumer.start();
        deadLetters.start();
        return watcher;
    }

    /**
     * Destroyed before the connection factory it depends on: a command that ends right after it stopped following
     * a run (Ctrl-C) waits here until the consumer's channel is closed.
     */
    @Override
    public void destroy() throws InterruptedException {
        for (CompletableFuture<Void> stop : stopping) {
            try {
                stop.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException leftBehind) {
                // the connection's close ends the consumer: what it held goes back to the queue unacknowledged
            }
        }
    }

    private String declare(String runId) {
        Declarables declarables = Topology.runEvents(runId);
        Queue queue = declarables.getDeclarablesByType(Queue.class).getFirst();
        admin.declareQueue(queue);
        declarables.getDeclarablesByType(Binding.class).forEach(admin::declareBinding);
        return queue.getName();
    }

    private final class Watcher implements Stream {

        private final BlockingQueue<AttemptEvent> events = new LinkedBlockingQueue<>();
        private final EventBatchConsumer consumer;
        private final AtomicBoolean closed = new AtomicBoolean();

        Watcher(String queue, Consumer<List<AttemptEvent>> record) {
            // recorded before the broker hears the ack: a coordinator killed now finds it in the registry or gets it
            // again
            consumer = EventBatchConsumer.of("run-events", connectionFactory, queue, gate, batch -> {
                record.accept(batch);
                events.addAll(batch);
            });
        }

        @Override
        public List<AttemptEvent> poll(Duration wait) throws InterruptedException {
            AttemptEvent first = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            List<AttemptEvent> batch = new ArrayList<>();
            batch.add(first);
            events.drainTo(batch);
            return batch;
        }

        /**
         * Stops consuming; the queue stays (and expires) so nothing is lost if the run is followed again. The consumer
         * notices the stop at its next wait for a message, up to a tenth of a second later: it stops on a thread of its
         * own while the run goes on to its report, and what it still held goes back to the queue unacknowledged.
         */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(
                        consumer::stop,
                        command -> Thread.ofPlatform().name("run-events-close").start(command));
                stopping.add(stopped);
                stopped.whenComplete((done, failure) -> stopping.remove(stopped));
            }
        }
    }
}
