package io.lazarus.common.topology;

import org.springframework.amqp.core.Declarables;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Imported by both applications: Spring AMQP's admin declares these on every (re)connection. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TopologySettings.class)
public class TopologyConfiguration {

    @Bean
    Declarables lazarusTopology(TopologySettings settings) {
        return Topology.declarables(settings);
    }
}
