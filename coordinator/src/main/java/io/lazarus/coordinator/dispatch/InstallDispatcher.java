package io.lazarus.coordinator.run;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.Errors;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes install messages, persistent and mandatory, and returns only when the broker has confirmed every one.
 * A message the broker refuses (for example a full queue with reject-publish) is published again with backoff.
 */
@Component
class RunDispatcher {

    private static final int WINDOW = 500;
    private static final int REPUBLISH_ROUNDS = 8;
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

    private final RabbitTemplate template;

    RunDispatcher(RabbitTemplate template) {
        this.template = template;
    }

    /** Publishes every message; hands each window's confirmed messages to {@code confirmed} as they are confirmed. */
    void dispatch(List<InstallMessage> messages, Consumer<List<InstallMessage>> confirmed) {
        List<InstallMessage> pending = messages;
        for (int round = 1; !pending.isEmpty(); round++) {
            List<InstallMessage> refused = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += WINDOW) {
                List<InstallMessage> window = pending.subList(from, Math.min(pending.size(), from + WINDOW));
                List<InstallMessage> refusedHere = publishWindow(window);
                refused.addAll(refusedHere);
                confirmed.accept(window.stream().filter(m -> !refusedHere.contains(m)).toList());
            }
            if (!refused.isEmpty() && round == REPUBLISH_ROUNDS) {
                throw new BrokerUnavailableException("the broker refused " + refused.size()
                        + " install messages " + round + " times (is " + Topology.INSTALL_QUEUE + " full?)", null);
            }
            if (!refused.isEmpty()) {
                sleep(Duration.ofMillis(Math.min(5_000, 100L << round)));
            }
            pending = refused;
        }
    }

    /** Publishes one window and waits for its confirms; returns the messages the broker refused. */
    private List<InstallMessage> publishWindow(List<InstallMessage> window) {
        List<CorrelationData> correlations = new ArrayList<>(window.size());
        try {
            for (InstallMessage install : window) {
                CorrelationData correlation = new CorrelationData(install.attemptId());
                template.send(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY, toAmqp(install), correlation);
                correlations.add(correlation);
            }
            List<InstallMessage> refused = new ArrayList<>();
            for (int i = 0; i < window.size(); i++) {
                CorrelationData correlation = correlations.get(i);
                CorrelationData.Confirm confirm = correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (correlation.getReturned() != null) {
                    throw new BrokerUnavailableException("install message unroutable: " + Topology.INSTALL_EXCHANGE
                            + " has no queue bound (" + correlation.getReturned().getReplyText() + ")", null);
                }
                if (!confirm.ack()) {
                    refused.add(window.get(i));
                }
            }
            return refused;
        } catch (AmqpException e) {
            throw new BrokerUnavailableException("cannot publish to RabbitMQ: " + Errors.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("RabbitMQ did not confirm the install messages within " + CONFIRM_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("RabbitMQ confirm failed: " + Errors.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for confirms", e);
        }
    }

    static Message toAmqp(InstallMessage install) {
        return MessageBuilder.withBody(Contracts.toJson(install))
                .setContentType(MessageProperties.CONTENT_TYPE_JSON)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setMessageId(install.attemptId())
                .setHeader(Topology.HEADER_RUN_ID, install.runId())
                .setHeader(Topology.HEADER_NODE_ID, install.node().id())
                .setHeader(Topology.HEADER_ATTEMPT, install.attempt())
                .setHeader(Topology.HEADER_RESURRECTIONS, install.attempt() - 1)
                .build();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
