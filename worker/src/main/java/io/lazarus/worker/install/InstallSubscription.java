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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.context.SmartLifecycle;

/**
 * The worker's subscription to the install queue, from its start to a stop that loses no node and runs none twice.
 * Stopping (SIGTERM) cancels the subscription, so the broker sends nothing more; a delivery already on its way is
 * given back unstarted; the nodes in flight finish within the shutdown grace and are acknowledged as usual; any still
 * running after it are interrupted and give their messages back to the queue; only then is the channel closed.
 *
 * <p>Spring AMQP's listener containers close the channel as soon as the broker confirms the cancel. Here each node
 * runs on its own thread after the listener returns, so that would hand every running node's message back to the
 * broker while it still runs: it would run again elsewhere.
 */
final class InstallSubscription implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstallSubscription.class);
    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(5);
    /** After the interrupt: time for the nodes to give their messages back before the channel closes anyway. */
    private static final Duration SETTLE_AFTER_INTERRUPT = Duration.ofSeconds(30);

    private final ConnectionFactory connectionFactory;
    private final InstallConsumer consumer;
    private final WorkerMetrics metrics;
    private final int prefetch;
    private final String consumerTag;
    private final Duration grace;
    private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();
    private final ScheduledExecutorService resubscriptions = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("install-subscription").factory());
    private volatile Channel channel;
    private volatile boolean running;
    private volatile boolean stopping;

    InstallSubscription(
            ConnectionFactory connectionFactory,
            InstallConsumer consumer,
            WorkerMetrics metrics,
            int prefetch,
            String consumerTag,
            Duration grace) {
        this.connectionFactory = connectionFactory;
        this.consumer = consumer;
        this.metrics = metrics;
        this.prefetch = prefetch;
        this.consumerTag = consumerTag;
        this.grace = grace;
    }

    @Override
    public void start() {
        running = true;
        subscribe();
    }

    /** Consumes on a channel of its own; while the broker cannot be had, tries again every few seconds. */
    private synchronized void subscribe() {
        if (stopping || channel != null && channel.isOpen()) {
            return;
        }
        Channel opened = null;
        try {
            opened = connectionFactory.createConnection().createChannel(false);
            opened.basicQos(prefetch);
            opened.basicConsume(
                    Topology.INSTALL_QUEUE,
                    false,
                    consumerTag,
                    new Deliveries(opened, ((ChannelProxy) opened).getTargetChannel()));
            channel = opened;
            log.info("consuming {} with prefetch {}", Topology.INSTALL_QUEUE, prefetch);
        } catch (IOException | AmqpException e) {
            close(opened);
            log.warn(
                    "cannot consume {} ({}); trying again in {}s",
                    Topology.INSTALL_QUEUE,
                    e.getMessage(),
                    RESUBSCRIBE_DELAY.toSeconds());
            resubscribeLater();
        }
    }

    private void resubscribeLater() {
        if (!stopping) {
            resubscriptions.schedule(this::subscribe, RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Blocks until the nodes in flight are settled, or the grace and the interrupt are spent. */
    @Override
    public void stop() {
        stopping = true;
        resubscriptions.shutdownNow();
        Channel subscribed = channel;
        cancel(subscribed);
        consumer.giveBackWaiting();
        log.info(
                "stopping: no more install messages; waiting up to {} for {} node(s) in flight",
                grace,
                metrics.inFlight());
        if (!awaitNoneInFlight(grace)) {
            log.warn(
                    "{} node(s) still running after the shutdown grace of {}: interrupting them, their messages go"
                            + " back to the queue",
                    metrics.inFlight(),
                    grace);
            consumer.close();
            awaitNoneInFlight(SETTLE_AFTER_INTERRUPT);
        }
        close(subscribed);
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void cancel(Channel subscribed) {
        if (subscribed == null || !subscribed.isOpen()) {
            return;
        }
        try {
            subscribed.basicCancel(consumerTag);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "could not cancel the subscription ({}); closing the channel gives back what it holds",
                    e.getMessage());
        }
    }

    private boolean awaitNoneInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metrics.inFlight() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private synchronized void forget(Channel subscribed) {
        if (channel == subscribed) {
            channel = null;
        }
    }

    /** Closes the channel for good rather than back into the connection factory's cache. */
    static void close(Channel opened) {
        if (opened != null) {
            RabbitUtils.setPhysicalCloseRequired(opened, true);
            RabbitUtils.closeChannel(opened);
        }
    }

    private final class Deliveries extends DefaultConsumer {

        /**
         * The channel the deliveries came on. The cached channel's proxy opens a new channel when it is used after its
         * connection died (a broker node lost): a delivery must be settled on the channel it came on, or fail there
         * (the broker has already given it back), never be acknowledged by tag on a channel that never had it.
         */
        private final Channel delivering;

        private Deliveries(Channel channel, Channel delivering) {
            super(channel);
            this.delivering = delivering;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            if (stopping) {
                // sent before the broker saw the cancel: back to the queue, unstarted, for another worker
                delivering.basicNack(envelope.getDeliveryTag(), false, true);
                return;
            }
            consumer.onMessage(
                    new Message(
                            body, converter.toMessageProperties(properties, envelope, StandardCharsets.UTF_8.name())),
                    delivering);
        }

        /** The broker ended the subscription (the queue was deleted). */
        @Override
        public void handleCancel(String tag) {
            log.warn(
                    "the broker cancelled the subscription to {}; subscribing again in {}s",
                    Topology.INSTALL_QUEUE,
                    RESUBSCRIBE_DELAY.toSeconds());
            forget(getChannel());
            resubscribeLater();
        }

        /** The channel or the connection went down; the broker redelivers what this worker had not settled. */
        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
            // else subscribe() takes the proxy, reopened by a late acknowledgement, for a live subscription
            forget(getChannel());
            if (!stopping) {
                log.warn(
                        "lost the subscription to {} ({}); subscribing again in {}s",
                        Topology.INSTALL_QUEUE,
                        signal.getMessage(),
                        RESUBSCRIBE_DELAY.toSeconds());
                resubscribeLater();
            }
        }
    }
}
