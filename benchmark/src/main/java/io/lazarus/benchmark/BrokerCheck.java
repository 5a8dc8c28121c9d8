package io.lazarus.benchmark;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.lazarus.common.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/**
 * Before anything starts: the broker answers, and nothing else uses the install queue. Messages left from another
 * run, or another consumer, would take worker capacity or nodes from the measurement.
 */
final class BrokerCheck {

    private BrokerCheck() {}

    static void requireIdleInstallQueue(URI rabbit) throws BenchmarkFailure {
        try (Connection connection = factory(rabbit).newConnection("lazarus-benchmark-check")) {
            Channel channel = connection.createChannel();
            AMQP.Queue.DeclareOk queue = channel.queueDeclarePassive(Topology.INSTALL_QUEUE);
            if (queue.getMessageCount() > 0 || queue.getConsumerCount() > 0) {
                throw new BenchmarkFailure(
                        "%s on %s has %d message(s) and %d consumer(s): a benchmark needs it to itself."
                                        .formatted(
                                                Topology.INSTALL_QUEUE,
                                                redacted(rabbit),
                                                queue.getMessageCount(),
                                                queue.getConsumerCount())
                                + " Stop the other consumers and purge the queue, or use another vhost (--rabbit amqp://.../vhost).");
            }
        } catch (IOException e) {
            if (!isNotFound(e)) {
                throw new BenchmarkFailure("cannot reach RabbitMQ at " + redacted(rabbit) + ": " + describe(e));
            }
            // no install queue yet: the worker declares it
        } catch (TimeoutException e) {
            throw new BenchmarkFailure("RabbitMQ at " + redacted(rabbit) + " did not answer: " + e.getMessage());
        }
    }

    /** After a setting of {@code --compare} broke its run: what its workers left unsettled is not the next one's. */
    static void purgeInstallQueue(URI rabbit) throws BenchmarkFailure {
        try (Connection connection = factory(rabbit).newConnection("lazarus-benchmark-purge")) {
            connection.createChannel().queuePurge(Topology.INSTALL_QUEUE);
        } catch (IOException | TimeoutException e) {
            throw new BenchmarkFailure("cannot purge " + Topology.INSTALL_QUEUE + ": " + describe(e));
        }
    }

    private static ConnectionFactory factory(URI rabbit) throws BenchmarkFailure {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(rabbit);
        } catch (Exception e) {
            throw new BenchmarkFailure("--rabbit " + redacted(rabbit) + " is not an AMQP URI: " + e.getMessage());
        }
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    private static boolean isNotFound(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == 404;
    }

    /** The innermost message: the client wraps the broker's reason (e.g. an unknown vhost) in bare IOExceptions. */
    private static String describe(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    static String redacted(URI uri) {
        return uri.toString().replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }
}
