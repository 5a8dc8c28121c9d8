package io.lazarus.coordinator.resurrection;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One pass over a queue on a connection of its own: each message is acknowledged once dealt with, or held until the
 * pass ends and then given back. Closing the connection gives back everything not acknowledged, so a pass that dies
 * half way loses nothing. A pass sees only the messages the queue held when it began: a node resurrected by this pass
 * that fails again at once is a candidate for the next pass, not this one.
 */
final class QueueSweep implements AutoCloseable {

    private final String queue;
    private final Connection connection;
    private final Channel channel;
    private final List<Long> held = new ArrayList<>();
    private long remaining;

    QueueSweep(ConnectionFactory connectionFactory, String queue) {
        this.queue = queue;
        try {
            this.connection = ((AbstractConnectionFactory) connectionFactory).getRabbitConnectionFactory()
                    .newConnection("lazarus-sweep-" + queue);
            this.channel = connection.createChannel();
            this.remaining = channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException("cannot open a connection to RabbitMQ: " + e.getMessage(), e);
        }
    }

    /** The next message not yet seen in this pass, or null when there is none. */
    GetResponse next() {
        if (remaining-- <= 0) {
            return null;
        }
        try {
            return channel.basicGet(queue, false);
        } catch (IOException e) {
            throw new BrokerUnavailableException("cannot read " + queue + ": " + e.getMessage(), e);
        }
    }

    void ack(GetResponse message) {
        try {
            channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        } catch (IOException e) {
            throw new BrokerUnavailableException("cannot acknowledge a message of " + queue + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the message out of this pass; it goes back to the queue when the pass ends. */
    void hold(GetResponse message) {
        held.add(message.getEnvelope().getDeliveryTag());
    }

    @Override
    public void close() {
        try {
            for (long tag : held) {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException e) {
            // closing the connection below gives them back just the same
        } finally {
            try {
                connection.close();
            } catch (IOException | RuntimeException e) {
                connection.abort();
            }
        }
    }
}
