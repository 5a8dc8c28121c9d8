package io.lazarus.worker.install;

import com.rabbitmq.client.Channel;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.ContractException;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.worker.install.EventPublisher.EventNotConfirmedException;
import io.lazarus.worker.ssh.SshInstaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Takes install messages from the queue and gives each its own virtual thread. The ordering rule that makes loss
 * impossible: the finished event is confirmed by the broker before the install message is settled; a crash in
 * between redelivers the message. A final outcome is acknowledged; a resurrectable one is rejected without requeue,
 * so the broker dead-letters it to the resurrection candidates.
 */
@Component
class InstallConsumer implements ChannelAwareMessageListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstallConsumer.class);

    private final SshInstaller installer;
    private final EventPublisher events;
    private final WorkerMetrics metrics;
    private final ResurrectionPolicy resurrection;
    private final String workerId;
    private final ExecutorService nodes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("node-", 0).factory());

    InstallConsumer(SshInstaller installer, EventPublisher events, WorkerMetrics metrics, ResurrectionPolicy resurrection,
            WorkerProperties properties) {
        this.installer = installer;
        this.events = events;
        this.metrics = metrics;
        this.resurrection = resurrection;
        this.workerId = properties.id();
    }

    @Override
    public void onMessage(Message message, Channel channel) {
        metrics.started();
        nodes.execute(() -> {
            try {
                handle(message, channel);
            } catch (RuntimeException e) {
                log.error("unexpected failure handling {}; giving it back to the queue", describe(message), e);
                settle(channel, message, Settlement.REQUEUE);
            } finally {
                metrics.released();
            }
        });
    }

    private void handle(Message message, Channel channel) {
        boolean redelivered = Boolean.TRUE.equals(message.getMessageProperties().isRedelivered());
        InstallMessage install;
        try {
            install = Contracts.readInstall(message.getBody());
            verify(install);
        } catch (ContractException | IllegalArgumentException e) {
            reject(message, channel, redelivered, e.getMessage());
            return;
        }
        try {
            events.publishConfirmed(AttemptEvent.started(install, workerId, redelivered));
            AttemptResult result = resurrection.classify(install.deadline() != null && Instant.now().isAfter(install.deadline())
                    ? AttemptResult.without(Outcome.CANCELLED, "run deadline " + install.deadline() + " passed before a worker took the node")
                    : installer.install(install));
            if (Thread.currentThread().isInterrupted()) {
                // The worker is stopping mid-node: the attempt proves nothing, so another worker runs it again.
                log.info("{} {}: worker stopping, giving the message back", install.runId(), install.node().id());
                settle(channel, message, Settlement.REQUEUE);
                return;
            }
            events.publishConfirmed(AttemptEvent.finished(install, workerId, redelivered, result));
            metrics.finished(result.outcome());
            // a thousand successes a minute are the registry's to tell; the log keeps what needs a look
            log.atLevel(result.outcome() == Outcome.SUCCEEDED ? Level.DEBUG : Level.INFO)
                    .log("{} {} on {}: {}{}{}", install.runId(), install.node().id(), install.node().address(),
                            result.outcome(), result.reason().isEmpty() ? "" : " (" + result.reason() + ")",
                            result.resurrectable() ? ", dead-lettered for resurrection" : "");
            settle(channel, message, result.resurrectable() ? Settlement.DEAD_LETTER : Settlement.ACK);
        } catch (EventNotConfirmedException e) {
            log.warn("{} {}: {}; giving the message back to the queue", install.runId(), install.node().id(), e.getMessage());
            settle(channel, message, Settlement.REQUEUE);
        }
    }

    private static void verify(InstallMessage install) {
        if (!install.script().digestMatches()) {
            throw new IllegalArgumentException("script sha256 " + install.script().sha256() + " does not match its commands");
        }
        for (String command : install.script().commands()) {
            if (command.getBytes(StandardCharsets.UTF_8).length > InstallScript.MAX_COMMAND_BYTES) {
                throw new IllegalArgumentException("a script command exceeds " + InstallScript.MAX_COMMAND_BYTES + " bytes");
            }
        }
    }

    /** A message that cannot be run: say why on the registry, then dead-letter it without requeue. */
    private void reject(Message message, Channel channel, boolean redelivered, String reason) {
        MessageProperties props = message.getMessageProperties();
        String runId = header(props, Topology.HEADER_RUN_ID);
        String nodeId = header(props, Topology.HEADER_NODE_ID);
        String attemptId = props.getMessageId() != null ? props.getMessageId() : "unidentified-" + UUID.randomUUID();
        AttemptEvent rejected = AttemptEvent.finished(attemptId, Contracts.isValidRunId(runId) ? runId : "unknown",
                nodeId == null || nodeId.isBlank() ? "unknown" : nodeId, 1, workerId, redelivered,
                AttemptResult.without(Outcome.REJECTED, reason));
        log.warn("rejecting {}: {}", describe(message), reason);
        try {
            events.publishConfirmed(rejected);
            metrics.finished(Outcome.REJECTED);
            settle(channel, message, Settlement.DEAD_LETTER);
        } catch (EventNotConfirmedException e) {
            log.warn("REJECTED event for {} not confirmed ({}); giving the message back", describe(message), e.getMessage());
            settle(channel, message, Settlement.REQUEUE);
        }
    }

    private enum Settlement { ACK, DEAD_LETTER, REQUEUE }

    private static void settle(Channel channel, Message message, Settlement settlement) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
            switch (settlement) {
                case ACK -> channel.basicAck(tag, false);
                case DEAD_LETTER -> channel.basicReject(tag, false);
                case REQUEUE -> channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker already took the message back and will redeliver it.
            log.warn("could not {} {}: {}", settlement, describe(message), e.getMessage());
        }
    }

    private static String header(MessageProperties props, String name) {
        Object value = props.getHeaders().get(name);
        return value == null ? null : value.toString();
    }

    private static String describe(Message message) {
        MessageProperties props = message.getMessageProperties();
        return "message " + props.getMessageId() + " (run " + header(props, Topology.HEADER_RUN_ID) + ", node "
                + header(props, Topology.HEADER_NODE_ID) + ")";
    }

    @Override
    public void close() {
        nodes.shutdownNow();
    }
}
