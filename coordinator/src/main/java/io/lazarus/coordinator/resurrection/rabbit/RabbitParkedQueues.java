package io.lazarus.coordinator.resurrection.rabbit;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import io.lazarus.coordinator.resurrection.ParkedMessage;
import io.lazarus.coordinator.resurrection.ParkedQueues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * A pass is a connection of its own and a {@code basic.get} loop: closing the connection gives back everything not
 * acknowledged, so a pass that dies half way loses nothing. It counts the queue's messages when it begins: a node
 * resurrected by this pass that fails again at once is a candidate for the next pass, not this one.
 */
@Component
class RabbitParkedQueues implements ParkedQueues {

    private final ConnectionFactory connectionFactory;
    /** Every node of a cluster: the client's own factory, used alone, knows only the first. */
    private final List<Address> addresses;

    RabbitParkedQueues(ConnectionFactory connectionFactory, RabbitConnectionDetails broker) {
        this.connectionFactory = connectionFactory;
        this.addresses = broker.getAddresses().stream()
                .map(address -> new Address(address.host(), address.port()))
                .toList();
    }

    @Override
    public Pass open(String queue) {
        return new Sweep(queue);
    }

    private final class Sweep implements Pass {

        private final String queue;
        private final Connection connection;
        private final Channel channel;
        private final List<Long> held = new ArrayList<>();
        private long remaining;

        Sweep(String queue) {
            this.queue = queue;
            try {
                this.connection = ((AbstractConnectionFactory) connectionFactory)
                        .getRabbitConnectionFactory()
                        .newConnection(addresses, "lazarus-sweep-" + queue);
                this.channel = connection.createChannel();
                this.remaining = channel.queueDeclarePassive(queue).getMessageCount();
            } catch (IOException | TimeoutException e) {
                throw new BrokerUnavailableException("cannot open a connection to RabbitMQ: " + e.getMessage(), e);
            }
        }

        @Override
        public ParkedMessage next() {
            if (remaining-- <= 0) {
                return null;
            }
            GetResponse response;
            try {
                response = channel.basicGet(queue, false);
            } catch (IOException e) {
                throw new BrokerUnavailableException("cannot read " + queue + ": " + e.getMessage(), e);
            }
            return response == null
                    ? null
                    : new ParkedMessage(
                            response.getEnvelope().getDeliveryTag(),
                            response.getProps().getMessageId(),
                            response.getProps().getContentType(),
                            response.getProps().getHeaders(),
                            response.getBody());
        }

        @Override
        public void ack(ParkedMessage message) {
            try {
                channel.basicAck(message.tag(), false);
            } catch (IOException e) {
                throw new BrokerUnavailableException(
                        "cannot acknowledge a message of " + queue + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void hold(ParkedMessage message) {
            held.add(message.tag());
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
}
