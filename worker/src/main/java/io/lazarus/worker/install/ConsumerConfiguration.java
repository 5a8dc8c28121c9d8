package io.lazarus.worker.install;

import io.lazarus.worker.limit.InFlightLimit;
import io.lazarus.worker.limit.LimitProperties;
import io.lazarus.worker.ssh.WatchdogProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ConsumerConfiguration {

    /**
     * One subscription whose prefetch is the pooling knob: the broker hands this worker at most {@code prefetch}
     * unacknowledged messages (fewer if its heap could not start them all), and each runs on its own virtual thread
     * until it is settled, once the in-flight limit lets it start. On stop, the nodes in flight get
     * {@code lazarus.worker.shutdown-grace} to finish, by default the longest a node may run.
     */
    @Bean
    InstallSubscription installSubscription(
            ConnectionFactory connectionFactory,
            InstallConsumer consumer,
            WorkerMetrics metrics,
            WorkerProperties properties,
            WatchdogProperties watchdog,
            InFlightLimit limit) {
        return new InstallSubscription(
                connectionFactory,
                consumer,
                metrics,
                limit.prefetch(),
                "lazarus-worker-" + properties.id(),
                properties.shutdownGrace() != null ? properties.shutdownGrace() : watchdog.maxNodeDeadline());
    }

    /** Prefetch is the ceiling of the nodes started at once; the limit under it follows the worker's health. */
    @Bean
    InFlightLimit inFlightLimit(LimitProperties limit, WorkerProperties properties, MeterRegistry registry) {
        return new InFlightLimit(limit, properties.prefetch(), registry);
    }

    @Bean
    CancelSubscription cancelSubscription(
            ConnectionFactory connectionFactory, CancelNotices notices, CancelledRuns cancelled) {
        return new CancelSubscription(connectionFactory, notices, cancelled);
    }
}
