package io.lazarus.common.topology;

import org.springframework.amqp.AmqpException;

/** A queue or exchange of the shared topology is not on the broker, and this application may not declare it. */
public final class MissingTopologyException extends AmqpException {

    public MissingTopologyException(String kind, String name, String vhost, Throwable cause) {
        super(
                "RabbitMQ has no " + kind + " " + name + " in vhost " + vhost + ": `lazarus broker setup` declares it"
                        + " (lazarus.topology.declare=false: this application only checks the topology)",
                cause);
    }
}
