package io.lazarus.coordinator.service;

import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.run.CoordinatorMetrics;
import io.lazarus.coordinator.run.rabbit.EventBatchConsumer;
import io.lazarus.coordinator.trust.EventGate;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Records every attempt event of every run, through a durable queue of the service's own: runs enqueued from CI
 * without anyone waiting are in the registry too. Events are acknowledged once recorded, a batch at a time;
 * recording is idempotent, so the runs this service follows itself may be recorded twice without harm.
 */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
class RegistryIngest implements SmartLifecycle {

    static final String QUEUE = "lazarus.registry.ingest";

    private final EventBatchConsumer consumer;

    RegistryIngest(
            ConnectionFactory connectionFactory,
            AmqpAdmin admin,
            RegistryStore store,
            CoordinatorMetrics metrics,
            EventGate gate) {
        Queue queue = QueueBuilder.durable(QUEUE).quorum().build();
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue)
                .to(new TopicExchange(Topology.REGISTRY_EXCHANGE))
                .with("run.#"));
        consumer = EventBatchConsumer.of(
                "registry-ingest",
                connectionFactory,
                QUEUE,
                gate,
                batch -> store.recordAdmitted(batch).forEach(metrics::ingested));
    }

    @Override
    public void start() {
        consumer.start();
    }

    @Override
    public void stop() {
        consumer.stop();
    }

    @Override
    public boolean isRunning() {
        return consumer.isRunning();
    }
}
