package io.lazarus.common.topology;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The broker topology both applications declare. Declaring is idempotent as long as every declarer uses the same
 * arguments, which is why they live here and nowhere else.
 *
 * <pre>
 * [lazarus.install] direct --install--> lazarus.install (quorum, DLX lazarus.dead, at-least-once, delivery limit)
 * [lazarus.registry] topic  <-- attempt events, routing key run.&lt;runId&gt;.&lt;started|outcome&gt;
 * [lazarus.dead] fanout    --> lazarus.resurrection (quorum)
 * </pre>
 */
public final class Topology {

    public static final String INSTALL_EXCHANGE = "lazarus.install";
    public static final String INSTALL_QUEUE = "lazarus.install";
    public static final String INSTALL_ROUTING_KEY = "install";
    public static final String REGISTRY_EXCHANGE = "lazarus.registry";
    public static final String DEAD_LETTER_EXCHANGE = "lazarus.dead";
    public static final String RESURRECTION_QUEUE = "lazarus.resurrection";

    /** Headers of install messages, so a message can be routed and accounted for without parsing its body. */
    public static final String HEADER_RUN_ID = "x-lazarus-run-id";
    public static final String HEADER_NODE_ID = "x-lazarus-node-id";
    public static final String HEADER_ATTEMPT = "x-lazarus-attempt";
    /** Our own count: RabbitMQ 4 ignores x-death headers set by clients. */
    public static final String HEADER_RESURRECTIONS = "x-lazarus-resurrections";

    private Topology() {
    }

    public static String eventRoutingKey(String runId, String word) {
        return "run." + runId + "." + word;
    }

    /** Binding pattern for every event of one run. */
    public static String runEventsPattern(String runId) {
        return "run." + runId + ".#";
    }

    public static Declarables declarables(TopologySettings settings) {
        DirectExchange install = new DirectExchange(INSTALL_EXCHANGE, true, false);
        QueueBuilder installQueue = QueueBuilder.durable(INSTALL_QUEUE)
                .quorum()
                .deliveryLimit(settings.deliveryLimit())
                .deadLetterExchange(DEAD_LETTER_EXCHANGE)
                .withArgument("x-dead-letter-strategy", "at-least-once")
                .overflow(QueueBuilder.Overflow.rejectPublish);
        if (settings.maxLength() > 0) {
            installQueue.maxLength(settings.maxLength());
        }
        Queue installQ = installQueue.build();
        TopicExchange registry = new TopicExchange(REGISTRY_EXCHANGE, true, false);
        FanoutExchange dead = new FanoutExchange(DEAD_LETTER_EXCHANGE, true, false);
        Queue resurrection = QueueBuilder.durable(RESURRECTION_QUEUE).quorum().build();
        Binding installBinding = BindingBuilder.bind(installQ).to(install).with(INSTALL_ROUTING_KEY);
        Binding deadBinding = BindingBuilder.bind(resurrection).to(dead);
        return new Declarables(install, installQ, installBinding, registry, dead, resurrection, deadBinding);
    }
}
