package io.lazarus.common.topology;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Imported by both applications: the admin declares the topology on every (re)connection, unless
 * {@code lazarus.topology.declare=false} (a role user that may not configure it): then nothing shared is declared and
 * {@link TopologyCheck} only checks that it exists.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopologySettings.class)
public class TopologyConfiguration {

    @Bean
    Declarables lazarusTopology(TopologySettings settings) {
        return settings.declare() ? Topology.declarables(settings) : new Declarables();
    }

    @Bean
    TopologyCheck topologyCheck(ConnectionFactory connectionFactory, RabbitAdmin amqpAdmin, TopologySettings settings) {
        return new TopologyCheck(connectionFactory, amqpAdmin, settings);
    }

    /**
     * A declaration the broker refuses (an existing queue with other arguments) will not succeed on a retry, so fail
     * at once instead of Spring AMQP's default of retrying for seconds.
     */
    @Bean
    RabbitAdmin amqpAdmin(ConnectionFactory connectionFactory) {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        admin.setRetryTemplate(null);
        return admin;
    }
}
