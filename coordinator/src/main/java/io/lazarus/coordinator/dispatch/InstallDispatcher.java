package io.lazarus.coordinator.dispatch;

import io.lazarus.common.Errors;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.coordinator.trust.RunSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.UncategorizedAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes install messages, persistent and mandatory, and returns only when the broker has confirmed every one.
 * A message the broker refuses (for example a full queue with reject-publish) is published again with backoff. Each
 * message expires at its deadline, so one no worker took in time dead-letters with reason {@code expired}.
 */
@Component
public class InstallDispatcher implements InstallPublisher {

    /**
     * Messages signed as one batch: one signature costs as much as 64 paths to its root, and the first are sent
     * without waiting for the rest of the window to be signed.
     */
    private static final int SIGNED_TOGETHER = 64;

    /** A window's first messages are signed as a smaller batch: the broker has them without waiting for 64 signed. */
    private static final int SIGNED_FIRST = 8;

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final RabbitTemplate template;
    private final RunSigner signer;
    private final DispatchProperties properties;

    InstallDispatcher(RabbitTemplate template, RunSigner signer, DispatchProperties properties) {
        this.template = template;
        this.signer = signer;
        this.properties = properties;
    }

    /**
     * Reads the run-signing key and readies the signing code: a run starts only once it can be signed, so a key file
     * that cannot be read stops it before anything is recorded, and the first messages do not wait for the key.
     */
    @Override
    public void prepare() {
        signer.key();
    }

    @Override
    public void dispatch(List<InstallMessage> messages, int resurrections, Consumer<List<InstallMessage>> confirmed) {
        List<InstallMessage> pending = messages;
        for (int round = 1; !pending.isEmpty(); round++) {
            List<InstallMessage> refused = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += WINDOW) {
                List<InstallMessage> window = pending.subList(from, Math.min(pending.size(), from + WINDOW));
                List<InstallMessage> refusedHere = publishWindow(window, resurrections);
                refused.addAll(refusedHere);
                confirmed.accept(
                        window.stream().filter(m -> !refusedHere.contains(m)).toList());
            }
            if (!refused.isEmpty() && round == properties.publishAttempts()) {
                throw new BrokerUnavailableException(
                        "the broker refused " + refused.size() + " install messages " + round + " times (is "
                                + Topology.INSTALL_QUEUE + " full?)",
                        null);
            }
            if (!refused.isEmpty()) {
                sleep(properties.publishPauses().pause(round));
            }
            pending = refused;
        }
    }

    /**
     * Publishes one message and returns once the broker confirmed it; throws if it was refused, or, with
     * {@code mustRoute}, if no queue took it.
     */
    public void publishConfirmed(String exchange, String routingKey, boolean mustRoute, Message message) {
        message.getMessageProperties().setUserId(login());
        CorrelationData correlation = send(
                exchange, routingKey, message, message.getMessageProperties().getMessageId());
        CorrelationData.Confirm confirm = confirmOf(correlation);
        if (!confirm.ack()) {
            throw new BrokerUnavailableException(
                    "the broker refused a message to " + exchange + " (" + confirm.reason() + ")", null);
        }
        if (mustRoute && correlation.getReturned() != null) {
            throw new BrokerUnavailableException(
                    "a message to " + exchange + " with routing key " + routingKey + " reached no queue ("
                            + correlation.getReturned().getReplyText() + ")",
                    null);
        }
    }

    /** Publishes one window and waits for its confirms; returns the messages the broker refused. */
    private List<InstallMessage> publishWindow(List<InstallMessage> window, int resurrections) {
        List<CorrelationData> correlations = onOneChannel(operations -> {
            List<CorrelationData> sent = new ArrayList<>(window.size());
            for (int from = 0, to; from < window.size(); from = to) {
                to = Math.min(window.size(), from + (from == 0 ? SIGNED_FIRST : SIGNED_TOGETHER));
                List<InstallMessage> batch = window.subList(from, to);
                List<Message> messages = toAmqp(batch, resurrections);
                for (int i = 0; i < batch.size(); i++) {
                    sent.add(send(
                            operations,
                            Topology.INSTALL_EXCHANGE,
                            Topology.INSTALL_ROUTING_KEY,
                            messages.get(i),
                            batch.get(i).attemptId()));
                }
            }
            sent.forEach(InstallDispatcher::confirmOf); // the channel goes back to the cache with nothing pending
            return sent;
        });
        List<InstallMessage> refused = new ArrayList<>();
        for (int i = 0; i < window.size(); i++) {
            CorrelationData correlation = correlations.get(i);
            CorrelationData.Confirm confirm = confirmOf(correlation);
            if (correlation.getReturned() != null) {
                throw new BrokerUnavailableException(
                        "install message unroutable: " + Topology.INSTALL_EXCHANGE + " has no queue bound ("
                                + correlation.getReturned().getReplyText() + ")",
                        null);
            }
            if (!confirm.ack()) {
                refused.add(window.get(i));
            }
        }
        return refused;
    }

    /**
     * Runs {@code work} on one channel. Sent one by one, each message would check out a channel of its own while the
     * one before still waited for its confirm, and the channel cache would open and close hundreds per run.
     */
    private <T> T onOneChannel(RabbitOperations.OperationsCallback<T> work) {
        try {
            return template.invoke(work);
        } catch (UncategorizedAmqpException e) {
            if (e.getCause() instanceof BrokerUnavailableException unavailable) {
                throw unavailable;
            }
            throw new BrokerUnavailableException("cannot publish to RabbitMQ: " + Errors.rootMessage(e), e);
        }
    }

    private CorrelationData send(String exchange, String routingKey, Message message, String id) {
        return send(template, exchange, routingKey, message, id);
    }

    private static CorrelationData send(
            RabbitOperations operations, String exchange, String routingKey, Message message, String id) {
        CorrelationData correlation = new CorrelationData(id);
        try {
            operations.send(exchange, routingKey, message, correlation);
            return correlation;
        } catch (AmqpException e) {
            throw new BrokerUnavailableException("cannot publish to RabbitMQ: " + Errors.rootMessage(e), e);
        }
    }

    private static CorrelationData.Confirm confirmOf(CorrelationData correlation) {
        try {
            return correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("RabbitMQ did not confirm within " + CONFIRM_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("RabbitMQ confirm failed: " + Errors.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for confirms", e);
        }
    }

    /**
     * The messages as the broker gets them, signed as one batch: the signature covers each body's exact bytes and the
     * headers a worker acts on, so these bytes are the ones sent. The user-id is this coordinator's login, which the
     * broker verifies.
     */
    List<Message> toAmqp(List<InstallMessage> installs, int resurrections) {
        List<byte[]> bodies = installs.stream().map(Contracts::toJson).toList();
        List<RunSigner.Signature> signatures = signer.sign(installs, bodies);
        List<Message> messages = new ArrayList<>(installs.size());
        for (int i = 0; i < installs.size(); i++) {
            messages.add(toAmqp(installs.get(i), bodies.get(i), signatures.get(i), resurrections));
        }
        return messages;
    }

    private Message toAmqp(InstallMessage install, byte[] body, RunSigner.Signature signature, int resurrections) {
        org.springframework.amqp.core.MessageBuilderSupport<Message> message = MessageBuilder.withBody(body)
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(install.attemptId())
                .setUserId(login())
                .setHeader(Topology.HEADER_RUN_ID, install.runId())
                .setHeader(Topology.HEADER_NODE_ID, install.node().id())
                .setHeader(Topology.HEADER_ATTEMPT, install.attempt())
                .setHeader(Topology.HEADER_RESURRECTIONS, resurrections)
                .setHeader(InstallSignature.HEADER_KEY_ID, signature.keyId())
                .setHeader(InstallSignature.HEADER_SIGNATURE, signature.value())
                .setHeader(InstallSignature.HEADER_PROOF, signature.proof());
        if (install.deadline() != null) {
            // at least a second: an expiration of 0 would dead-letter a message the moment it reaches the queue head
            long ttl = Math.max(
                    1_000,
                    Duration.between(java.time.Instant.now(), install.deadline())
                            .toMillis());
            message.setExpiration(Long.toString(ttl));
        }
        return message.build();
    }

    /** This coordinator's broker login: what RabbitMQ checks an outgoing user-id against. */
    public String login() {
        return template.getConnectionFactory().getUsername();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
