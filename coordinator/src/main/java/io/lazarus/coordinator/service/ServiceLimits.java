package io.lazarus.coordinator.service;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The service's limits, with {@code lazarus.service.*}'s other settings.
 *
 * @param maxRequestBytes  the largest request body taken; a larger one is a 413 before it is buffered
 * @param maxEventStreams  the {@code /events} streams open at once; one more is a 429
 */
@ConfigurationProperties("lazarus.service")
public record ServiceLimits(
        @DefaultValue("2MB") DataSize maxRequestBytes,
        @DefaultValue("32") int maxEventStreams) {

    public ServiceLimits {
        if (maxRequestBytes.toBytes() < 1) {
            throw new IllegalArgumentException(
                    "lazarus.service.max-request-bytes must be positive, was " + maxRequestBytes);
        }
        if (maxEventStreams < 1) {
            throw new IllegalArgumentException(
                    "lazarus.service.max-event-streams must be 1 or more, was " + maxEventStreams);
        }
    }
}
