package io.lazarus.worker.install;

import io.lazarus.common.topology.Topology;
import io.lazarus.worker.ssh.WatchdogProperties;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

    /**
     * One subscription whose prefetch is the pooling knob: the broker hands this worker at most {@code prefetch}
     * unacknowledged messages, and each runs on its own virtual thread until it is settled. On stop, the nodes in
     * flight get {@code lazarus.worker.shutdown-grace} to finish, by default the longest a node may run.
     */
    @Bean
    InstallSubscription installSubscription(
            ConnectionFactory connectionFactory,
            InstallConsumer consumer,
            WorkerMetrics metrics,
            WorkerProperties properties,
            WatchdogProperties watchdog) {
        return new InstallSubscription(
                connectionFactory,
                consumer,
                metrics,
                properties.prefetch(),
                "lazarus-worker-" + properties.id(),
                properties.shutdownGrace() != null ? properties.shutdownGrace() : watchdog.maxNodeDeadline());
    }

    /**
     * This worker's own queue on {@code lazarus.control}: exclusive and auto-delete, so it lives as long as the
     * worker's connection; the admin declares it again on every reconnection.
     */
    @Bean
    Queue cancelNoticeQueue() {
        return new AnonymousQueue(new Base64UrlNamingStrategy(Topology.CANCELS_QUEUE_PREFIX));
    }

    @Bean
    Declarables cancelNoticeBinding(Queue cancelNoticeQueue) {
        return new Declarables(
                BindingBuilder.bind(cancelNoticeQueue).to(new FanoutExchange(Topology.CONTROL_EXCHANGE)));
    }

    /** Starts before the install subscription and stops after it: the notices are heard while anything runs. */
    @Bean
    SimpleMessageListenerContainer cancelNoticeListener(
            ConnectionFactory connectionFactory, Queue cancelNoticeQueue, CancelNotices notices) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueues(cancelNoticeQueue);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener(notices);
        container.setMissingQueuesFatal(false);
        container.setPhase(Integer.MAX_VALUE - 1000);
        return container;
    }

    @Bean
    ApplicationListener<AsyncConsumerStartedEvent> cancelNoticesHeard(CancelledRuns cancelled) {
        return event -> cancelled.listening();
    }
}
