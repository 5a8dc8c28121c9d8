package io.lazarus.worker.install;

import io.lazarus.common.topology.Topology;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

    /**
     * One consumer whose prefetch is the pooling knob: the broker hands this worker at most {@code prefetch}
     * unacknowledged messages, and each runs on its own virtual thread until it is settled.
     */
    @Bean
    DirectMessageListenerContainer installListenerContainer(ConnectionFactory connectionFactory, InstallConsumer consumer,
            WorkerProperties properties) {
        DirectMessageListenerContainer container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.INSTALL_QUEUE);
        container.setConsumersPerQueue(1);
        container.setPrefetchCount(properties.prefetch());
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setMessageListener(consumer);
        container.setConsumerTagStrategy(queue -> "lazarus-worker-" + properties.id());
        return container;
    }
}
