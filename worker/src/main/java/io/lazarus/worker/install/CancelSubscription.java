package io.lazarus.worker.install;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.lazarus.common.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.context.SmartLifecycle;

/**
 * This worker's own queue on {@code lazarus.control}, {@code lazarus.cancels.<random>}: exclusive and auto-delete, so
 * it lives as long as the channel; declared, bound and consumed again after the channel went down. Declared here
 * rather than by the topology's admin: a broker without {@code lazarus.control} must fail the topology check with its
 * one clear line, not the admin's first connection.
 */
final class CancelSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CancelSubscription.class);
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(5);

    private final ConnectionFactory connectionFactory;
    private final CancelNotices notices;
    private final CancelledRuns cancelled;
    private final ScheduledExecutorService resubscriptions = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("cancel-subscription").factory());
    private volatile Channel channel;
    private volatile boolean running;

    CancelSubscription(ConnectionFactory connectionFactory, CancelNotices notices, CancelledRuns cancelled) {
        this.connectionFactory = connectionFactory;
        this.notices = notices;
        this.cancelled = cancelled;
    }

    @Override
    public void start() {
        running = true;
        subscribe();
    }

    private synchronized void subscribe() {
        if (!running || channel != null && channel.isOpen()) {
            return;
        }
        Channel opened = null;
        try {
            opened = connectionFactory.createConnection().createChannel(false);
            String queue = opened.queueDeclare(
                            Topology.CANCELS_QUEUE_PREFIX + UUID.randomUUID(), false, true, true, null)
                    .getQueue();
            opened.queueBind(queue, Topology.CONTROL_EXCHANGE, "");
            opened.basicConsume(queue, true, new Notices(opened));
            channel = opened;
            cancelled.listening();
            log.debug("hearing cancel notices on {}", queue);
        } catch (IOException | AmqpException e) {
            InstallSubscription.close(opened);
            log.warn(
                    "cannot hear cancel notices on {} ({}); trying again in {}s",
                    Topology.CONTROL_EXCHANGE,
                    e.getMessage(),
                    RESUBSCRIBE_DELAY.toSeconds());
            resubscribeLater();
        }
    }

    private void resubscribeLater() {
        if (running) {
            resubscriptions.schedule(this::subscribe, RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        running = false;
        resubscriptions.shutdownNow();
        InstallSubscription.close(channel);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the install subscription starts, after it stopped: notices are heard while any node may start. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1000;
    }

    private final class Notices extends DefaultConsumer {

        private final DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

        private Notices(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            notices.onMessage(new Message(
                    body, converter.toMessageProperties(properties, envelope, StandardCharsets.UTF_8.name())));
        }

        @Override
        public void handleCancel(String tag) {
            channel = null;
            resubscribeLater();
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
            if (running) {
                log.warn(
                        "lost the cancel notices ({}); hearing them again in {}s",
                        signal.getMessage(),
                        RESUBSCRIBE_DELAY.toSeconds());
                resubscribeLater();
            }
        }
    }
}
