package io.lazarus.benchmark;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lazarus.common.topology.Topology;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    /** Listens from now on; throws if the install exchange is not there yet (the workers declare it as they start). */
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

    /** The monotonic time the first copy arrived; -1 if none has. */
    long firstNanos() {
        return firstAt.getNow(-1L);
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
