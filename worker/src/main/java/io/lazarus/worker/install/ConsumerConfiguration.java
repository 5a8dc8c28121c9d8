package io.lazarus.worker.install;

import io.lazarus.worker.ssh.WatchdogProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
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

    @Bean
    CancelSubscription cancelSubscription(
            ConnectionFactory connectionFactory, CancelNotices notices, CancelledRuns cancelled) {
        return new CancelSubscription(connectionFactory, notices, cancelled);
    }
}
