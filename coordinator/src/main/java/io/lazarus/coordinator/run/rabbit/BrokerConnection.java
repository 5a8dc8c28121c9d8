package io.lazarus.coordinator.run.rabbit;

import io.lazarus.common.Errors;
import io.lazarus.common.topology.MissingTopologyException;
import io.lazarus.common.topology.TopologyCheck;
import io.lazarus.common.topology.TopologyConflict;
import io.lazarus.common.trust.Printable;
import io.lazarus.coordinator.dispatch.BrokerUnavailableException;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/** The broker a run goes through, reached before anything of the run is recorded or sent. */
@Component
public class BrokerConnection {

    private final ConnectionFactory connectionFactory;
    private final TopologyCheck topology;
    private final RabbitConnectionDetails broker;
    private final ConfigurableEnvironment environment;

    BrokerConnection(
            ConnectionFactory connectionFactory,
            TopologyCheck topology,
            RabbitConnectionDetails broker,
            ConfigurableEnvironment environment) {
        this.connectionFactory = connectionFactory;
        this.topology = topology;
        this.broker = broker;
        this.environment = environment;
    }

    /**
     * Connects and declares the topology (or, with lazarus.topology.declare=false, checks that it exists); a broker
     * that cannot be reached ends here, before anything is sent.
     */
    public void connect() {
        try (Connection ignored = connectionFactory.createConnection()) {
            topology.ensure();
        } catch (MissingTopologyException e) {
            throw new BrokerUnavailableException(e.getMessage(), e);
        } catch (AmqpException e) {
            Optional<String> conflict = TopologyConflict.replyText(e);
            if (conflict.isPresent()) {
                throw new BrokerUnavailableException(
                        "RabbitMQ refused the Lazarus topology: an existing queue or"
                                + " exchange was declared with other arguments (" + conflict.get()
                                + "). Make lazarus.topology.*"
                                + " match what the broker has, or delete it.",
                        e);
            }
            // the broker's words may quote the login (a virtual host refused to a user): one line, whatever they hold
            String refusal = Printable.of(Errors.rootMessage(e), 1000);
            if (e instanceof AmqpAuthenticationException || refusal.contains("ACCESS_REFUSED")) {
                // a login set up against another broker (a demo's, a test's) is refused here: say whose and where from
                throw new BrokerUnavailableException(
                        "RabbitMQ at " + addresses() + " refused the login " + Printable.of(broker.getUsername(), 200)
                                + origin() + ": " + refusal + (refusal.endsWith(".") ? " " : ". ")
                                + "If this broker has no such user (its logins were set up against another broker),"
                                + " lazarus broker setup creates it.",
                        e);
            }
            throw new BrokerUnavailableException("cannot reach RabbitMQ at " + addresses() + ": " + refusal, e);
        }
    }

    /** Where the login's user name was configured ({@code lazarus broker setup}'s file, say), or nothing. */
    private String origin() {
        return environment.getPropertySources().stream()
                .filter(source -> !source.getName().equals("configurationProperties")) // a view of all the others
                .filter(source -> source.containsProperty("spring.rabbitmq.username"))
                .findFirst()
                .map(PropertySource::getName)
                .map(name -> " (from " + Printable.of(name, 500) + ")")
                .orElse("");
    }

    /** {@code host:port}, or every node of a cluster ({@code spring.rabbitmq.addresses}) in the order they are tried. */
    private String addresses() {
        return broker.getAddresses().stream()
                .map(address -> address.host() + ":" + address.port())
                .collect(Collectors.joining(", "));
    }
}
