package io.lazarus.coordinator.resurrection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.resurrection.*}.
 *
 * @param limit resurrections of a node before it is quarantined (the system we replace used 3)
 */
@ConfigurationProperties("lazarus.resurrection")
public record ResurrectionProperties(@DefaultValue("3") int limit) {

    public ResurrectionProperties {
        if (limit < 0) {
            throw new IllegalArgumentException("lazarus.resurrection.limit must be 0 or more, was " + limit);
        }
    }
}
