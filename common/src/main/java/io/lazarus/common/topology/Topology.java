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
 * [lazarus.registry] topic  <-- attempt events, routing key run.&lt;runId&gt;.&lt;started|output|outcome&gt;
 * [lazarus.dead] fanout    --> lazarus.resurrection (quorum): the candidates, drained by lazarus resurrect
 *                          --> lazarus.dead-letters (quorum): the record of every dead letter, for the registry
 * lazarus.quarantine (quorum, default exchange): candidates that reached the resurrection limit, parked
 * </pre>
 */
public final class Topology {

    public static final String INSTALL_EXCHANGE = "lazarus.install";
    public static final String INSTALL_QUEUE = "lazarus.install";
    public static final String INSTALL_ROUTING_KEY = "install";
    public static final String REGISTRY_EXCHANGE = "lazarus.registry";
    public static final String DEAD_LETTER_EXCHANGE = "lazarus.dead";
    public static final String RESURRECTION_QUEUE = "lazarus.resurrection";
    public static final String DEAD_LETTER_RECORD_QUEUE = "lazarus.dead-letters";
    public static final String QUARANTINE_QUEUE = "lazarus.quarantine";

    /** Every queue and exchange of the topology, for tools and tests that reset it. */
    public static final java.util.List<String> QUEUES =
            java.util.List.of(INSTALL_QUEUE, RESURRECTION_QUEUE, DEAD_LETTER_RECORD_QUEUE, QUARANTINE_QUEUE);

    public static final java.util.List<String> EXCHANGES =
            java.util.List.of(INSTALL_EXCHANGE, REGISTRY_EXCHANGE, DEAD_LETTER_EXCHANGE);

    /** Headers of install messages, so a message can be routed and accounted for without parsing its body. */
    public static final String HEADER_RUN_ID = "x-lazarus-run-id";

    public static final String HEADER_NODE_ID = "x-lazarus-node-id";
    public static final String HEADER_ATTEMPT = "x-lazarus-attempt";
    /** Our own count: RabbitMQ 4 ignores x-death headers set by clients. */
    public static final String HEADER_RESURRECTIONS = "x-lazarus-resurrections";
    /** On a quarantined message: why it was parked, and when. */
    public static final String HEADER_QUARANTINE_REASON = "x-lazarus-quarantine-reason";

    public static final String HEADER_QUARANTINED_AT = "x-lazarus-quarantined-at";
    /** On a dead letter: the reason the broker gave when it dead-lettered the message (first death). */
    public static final String HEADER_DEATH_REASON = "x-first-death-reason";

    private Topology() {}

    public static String eventRoutingKey(String runId, String word) {
        return "run." + runId + "." + word;
    }

    /** Binding pattern for every event of one run. */
    public static String runEventsPattern(String runId) {
        return "run." + runId + ".#";
    }

    /** How long a run's event queue outlives its last follower. */
    public static final java.time.Duration RUN_EVENTS_EXPIRE = java.time.Duration.ofHours(1);

    /**
     * A run's own event queue, {@code lazarus.run.<runId>}, bound to every event of the run: whoever follows the run
     * reads it. Declared before anything of the run is published, so no event is missed; it survives a follower that
     * dies and deletes itself {@link #RUN_EVENTS_EXPIRE} after its last consumer left. A quorum queue, like the
     * others: a classic queue lives on one node of a cluster, and the events routed to it while that node is down are
     * lost.
     */
    public static Declarables runEvents(String runId) {
        Queue queue = QueueBuilder.durable("lazarus.run." + runId)
                .quorum()
                .expires((int) RUN_EVENTS_EXPIRE.toMillis())
                .build();
        return new Declarables(
                queue,
                BindingBuilder.bind(queue)
                        .to(new TopicExchange(REGISTRY_EXCHANGE))
                        .with(runEventsPattern(runId)));
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
        Queue deadLetterRecord =
                QueueBuilder.durable(DEAD_LETTER_RECORD_QUEUE).quorum().build();
        Queue quarantine = QueueBuilder.durable(QUARANTINE_QUEUE).quorum().build();
        Binding installBinding = BindingBuilder.bind(installQ).to(install).with(INSTALL_ROUTING_KEY);
        Binding deadBinding = BindingBuilder.bind(resurrection).to(dead);
        Binding deadRecordBinding = BindingBuilder.bind(deadLetterRecord).to(dead);
        return new Declarables(
                install,
                installQ,
                installBinding,
                registry,
                dead,
                resurrection,
                deadBinding,
                deadLetterRecord,
                deadRecordBinding,
                quarantine);
    }
}
