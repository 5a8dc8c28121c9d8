package io.lazarus.testkit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * The broker the tests talk to: a running RabbitMQ named by {@code LAZARUS_TEST_RABBIT_URI} (or Spring's
 * {@code SPRING_RABBITMQ_HOST}/{@code _PORT}/{@code _USERNAME}/{@code _PASSWORD}), else a Testcontainers RabbitMQ
 * where Docker exists. Neither is a failure, never a skip: a test that needs a broker must not pass without one.
 */
public final class RabbitBroker {

    private static final Logger log = LoggerFactory.getLogger(RabbitBroker.class);
    private static final String DEFAULT_IMAGE = "rabbitmq:4.1-management";
    private static RabbitBroker shared;

    private final URI uri;
    /** The broker's container, or null for a broker running on this machine. */
    private final RabbitMQContainer container;

    private RabbitBroker(URI uri) {
        this(uri, null);
    }

    private RabbitBroker(URI uri, RabbitMQContainer container) {
        this.uri = uri;
        this.container = container;
    }

    /**
     * A broker the test itself started and owns ({@link io.lazarus.testkit.rabbit.RabbitNode}), unlike the shared
     * one: the only kind a test may stop or reconfigure.
     */
    public static RabbitBroker at(URI uri) {
        return new RabbitBroker(uri);
    }

    public static synchronized RabbitBroker shared() {
        if (shared == null) {
            shared = locate();
        }
        return shared;
    }

    private static RabbitBroker locate() {
        String explicit = System.getenv("LAZARUS_TEST_RABBIT_URI");
        if (explicit != null && !explicit.isBlank()) {
            log.info("Tests use the running broker LAZARUS_TEST_RABBIT_URI={}", redact(explicit));
            return new RabbitBroker(URI.create(explicit.trim()));
        }
        String springHost = System.getenv("SPRING_RABBITMQ_HOST");
        if (springHost != null && !springHost.isBlank()) {
            URI uri = URI.create("amqp://" + env("SPRING_RABBITMQ_USERNAME", "guest") + ":"
                    + env("SPRING_RABBITMQ_PASSWORD", "guest") + "@" + springHost + ":"
                    + env("SPRING_RABBITMQ_PORT", "5672"));
            log.info("Tests use the running broker SPRING_RABBITMQ_HOST={}", springHost);
            return new RabbitBroker(uri);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            String image = env("LAZARUS_TEST_RABBIT_IMAGE", DEFAULT_IMAGE);
            RabbitMQContainer container = new RabbitMQContainer(image);
            container.start();
            log.info("Tests use a Testcontainers broker from {}", image);
            return new RabbitBroker(
                    URI.create(container
                            .getAmqpUrl()
                            .replace(
                                    "amqp://",
                                    "amqp://" + container.getAdminUsername() + ":" + container.getAdminPassword()
                                            + "@")),
                    container);
        }
        throw new IllegalStateException("""
                No RabbitMQ for the tests: Docker is not available and LAZARUS_TEST_RABBIT_URI is not set.
                Start a broker and name it, for example:
                  LAZARUS_TEST_RABBIT_URI=amqp://guest:guest@127.0.0.1:5672 ./mvnw verify""");
    }

    /** {@code amqp://user:pass@host:port}, as Spring's {@code spring.rabbitmq.addresses} accepts it. */
    public URI uri() {
        return uri;
    }

    public String host() {
        return uri.getHost();
    }

    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : 5672;
    }

    public Connection newConnection(String name) {
        try {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(uri);
            return factory.newConnection(name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to the test broker " + redact(uri.toString()), e);
        }
    }

    /** Deletes the named queues and exchanges if they exist, so a test starts from a topology it declares itself. */
    public void delete(List<String> queues, List<String> exchanges) {
        try (Connection connection = newConnection("lazarus-test-reset");
                Channel channel = connection.createChannel()) {
            for (String queue : queues) {
                channel.queueDelete(queue);
            }
            for (String exchange : exchanges) {
                channel.exchangeDelete(exchange);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot reset the test broker", e);
        }
    }

    public long messageCount(String queue) {
        try (Connection connection = newConnection("lazarus-test-count");
                Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException("cannot count messages in " + queue, e);
        }
    }

    /** Removes every message ready in the queue. */
    public void purge(String queue) {
        try (Connection connection = newConnection("lazarus-test-purge");
                Channel channel = connection.createChannel()) {
            channel.queuePurge(queue);
        } catch (Exception e) {
            throw new IllegalStateException("cannot purge " + queue, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String redact(String uri) {
        return uri.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }
}
