package io.lazarus.common.topology;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;
import org.springframework.context.SmartLifecycle;

/**
 * Makes sure the shared topology is there before an application relies on it: declares it, or, with
 * {@code lazarus.topology.declare=false}, only looks. A passive declaration needs no permission, so a role user with
 * no configure right on the topology (README "Broker users and permissions") can still check it.
 */
public class TopologyCheck {

    private final ConnectionFactory connectionFactory;
    private final AmqpAdmin admin;
    private final TopologySettings settings;

    public TopologyCheck(ConnectionFactory connectionFactory, AmqpAdmin admin, TopologySettings settings) {
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.settings = settings;
    }

    /** Declares the topology or checks that it exists; a missing part is a {@link MissingTopologyException}. */
    public void ensure() {
        if (settings.declare()) {
            admin.initialize();
            return;
        }
        try (Connection connection = connectionFactory.createConnection()) {
            for (String exchange : Topology.EXCHANGES) {
                look(connection, "exchange", exchange);
            }
            for (String queue : Topology.QUEUES) {
                look(connection, "queue", queue);
            }
        }
    }

    /** One channel per look: a missing queue or exchange closes the channel it was asked on. */
    private void look(Connection connection, String kind, String name) {
        Channel channel = connection.createChannel(false);
        try {
            if (kind.equals("queue")) {
                channel.queueDeclarePassive(name);
            } else {
                channel.exchangeDeclarePassive(name);
            }
        } catch (IOException e) {
            if (e.getCause() instanceof ShutdownSignalException signal
                    && RabbitUtils.isPassiveDeclarationChannelClose(signal)) {
                throw new MissingTopologyException(kind, name, connectionFactory.getVirtualHost(), e);
            }
            throw RabbitExceptionTranslator.convertRabbitAccessException(e);
        } finally {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | TimeoutException | RuntimeException ignored) {
                // the channel is gone either way
            }
        }
    }

    /**
     * For an application that relies on the topology as soon as it starts (the worker): checks it before the
     * consumers start, so a missing queue ends the start with one clear line instead of retries. A broker that cannot
     * be reached yet is not an error here: the consumers wait for it.
     */
    public SmartLifecycle atStart(org.slf4j.Logger log) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                running = true;
                if (settings.declare()) {
                    return;
                }
                try {
                    ensure();
                } catch (MissingTopologyException e) {
                    throw e;
                } catch (AmqpException e) {
                    log.warn(
                            "cannot check the broker's topology now ({}); the consumers will wait for the broker",
                            e.getMessage());
                }
            }

            @Override
            public void stop() {
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return Integer.MIN_VALUE + 1000;
            }
        };
    }
}
