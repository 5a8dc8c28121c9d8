package io.lazarus.coordinator.run.rabbit;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.coordinator.trust.EventGate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Consumes attempt events in batches: up to {@value #BATCH} messages (a worker's message carries several events), or
 * what arrived within {@value #FILL_MILLIS} ms, or until none came for {@value #GAP_MILLIS} ms. The gate admits each
 * event, the batch is recorded by {@code record} (one registry transaction), and only then is the batch acknowledged,
 * with one ack. An event is still recorded before it is acknowledged, at one commit per batch instead of one per
 * event; a failure acknowledges nothing, and the batch comes back to be recorded again, idempotently.
 *
 * <p>A commit's cost is mostly the B-tree pages it writes, and a batch of 250 events dirties little more than one of
 * 30: recording a 5000-node run's 12,500 events took 1.9 - 2.0 CPU-s in batches of 30 (what a 0.1 s fill gathered at
 * 100 nodes a second) and 1.3 - 1.4 in batches of 250 ({@code scripts/measure-recording.sh}). The short gap keeps a
 * quiet run's last outcome as prompt as before.
 */
public final class EventBatchConsumer {

    private static final Logger log = LoggerFactory.getLogger(EventBatchConsumer.class);

    static final int BATCH = 250;
    private static final long FILL_MILLIS = 1000;
    private static final long GAP_MILLIS = 100;
    private static final long SHUTDOWN_MILLIS = 1000;

    private final SimpleMessageListenerContainer container;
    private final SimpleAsyncTaskExecutor threads;

    private EventBatchConsumer(SimpleMessageListenerContainer container, SimpleAsyncTaskExecutor threads) {
        this.container = container;
        this.threads = threads;
    }

    /** A consumer, not started, of {@code queue} on a thread named after {@code name} (jstack, profiles). */
    public static EventBatchConsumer of(
            String name,
            ConnectionFactory connectionFactory,
            String queue,
            EventGate gate,
            Consumer<List<AttemptEvent>> record) {
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(new ConsumerThreads(name + "-"));
        // the consumer's thread closes its channel after the container's stop returned: stop() waits for it
        threads.setTaskTerminationTimeout(2 * SHUTDOWN_MILLIS);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setBeanName(name);
        container.setTaskExecutor(threads);
        container.setQueueNames(queue);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(BATCH);
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(BATCH);
        container.setBatchReceiveTimeout(FILL_MILLIS);
        // a consumer notices a stop between two waits for a message: its default second would hold up every exit
        container.setReceiveTimeout(GAP_MILLIS);
        // a stop waits for the batch in hand at most this long (a classic queue answers the cancel at once; RabbitMQ
        // 3.10 may not answer it for a quorum queue): what is unacknowledged then goes back and is recorded again
        container.setShutdownTimeout(SHUTDOWN_MILLIS);
        container.setMessageListener((BatchMessageListener) messages -> {
            List<AttemptEvent> admitted =
                    messages.stream().map(gate::admit).flatMap(List::stream).toList();
            if (!admitted.isEmpty()) {
                record.accept(admitted);
            }
        });
        return new EventBatchConsumer(container, threads);
    }

    /**
     * The consumer's threads, named. When the broker connection closes before the consumer is stopped (a service
     * shutting down), the container starts a consumer again just as its executor closes, and the executor cancels it
     * before it runs: nothing was consumed, and its {@link CancellationException} is not printed as a stack trace on
     * every shutdown. Anything else a thread throws is reported as it always is.
     */
    static final class ConsumerThreads extends CustomizableThreadFactory {

        ConsumerThreads(String prefix) {
            super(prefix);
        }

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = super.newThread(task);
            thread.setUncaughtExceptionHandler((t, e) -> {
                if (cancelledBeforeItRan(e)) {
                    log.debug("{}: a consumer started as its executor closed, cancelled before it ran", t.getName());
                } else {
                    t.getThreadGroup().uncaughtException(t, e);
                }
            });
            return thread;
        }

        private static boolean cancelledBeforeItRan(Throwable e) {
            return e instanceof CancellationException
                    && Arrays.stream(e.getStackTrace())
                            .anyMatch(frame -> frame.getClassName().equals(SimpleAsyncTaskExecutor.class.getName())
                                    && frame.getMethodName().equals("checkCancelled"));
        }
    }

    public void start() {
        container.start();
    }

    public boolean isRunning() {
        return container.isRunning();
    }

    /**
     * Stops consuming and returns once the consumer's thread has ended, its channel closed: a connection factory
     * destroyed before that would see the channel closed late, and Spring AMQP prints a {@code
     * RejectedExecutionException} from a channel executor it has shut down. A consumer that cannot be stopped is left
     * behind after {@value #SHUTDOWN_MILLIS} ms twice over.
     */
    public void stop() {
        container.stop();
        container.destroy();
        threads.close();
    }
}
