package io.lazarus.benchmark;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lazarus.common.topology.Topology;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sees the run's first install message arrive at the broker: a queue of its own bound to the install exchange gets a
 * copy of each message (it keeps one at most) until the first arrives, and then goes, so the broker does not copy the
 * rest of the run. The run's report has no such moment: its {@code startedAt} is read before the nodes are registered
 * and the first window is recorded as released.
 */
final class FirstPublishProbe implements AutoCloseable {

    private final Connection connection;
    private final CompletableFuture<Long> firstAt = new CompletableFuture<>();

    private FirstPublishProbe(Connection connection) {
        this.connection = connection;
    }

    /** Listens from now on; a broker without the install exchange yet (no worker declared it) gives no probe. */
    static FirstPublishProbe listen(URI rabbit) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbit);
        Connection connection = factory.newConnection("lazarus-benchmark-first-publish");
        FirstPublishProbe probe = new FirstPublishProbe(connection);
        try {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare("", false, true, true, Map.of("x-max-length", 1))
                    .getQueue();
            channel.queueBind(queue, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY);
            channel.basicConsume(queue, true, (tag, delivery) -> probe.firstAt.complete(System.nanoTime()), tag -> {});
            // not on the client's consumer thread, which closing the connection would wait for
            probe.firstAt.thenRunAsync(probe::close);
            return probe;
        } catch (Exception e) {
            probe.close();
            throw e;
        }
    }

    /** The monotonic time the first copy arrived, waiting up to {@code seconds}; -1 if none came. */
    long firstNanos(long seconds) {
        try {
            return firstAt.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // the queue is exclusive: it goes with the connection either way
        }
    }
}
