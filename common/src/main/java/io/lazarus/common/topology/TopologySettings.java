package io.lazarus.common.topology;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Queue arguments that operators may tune ({@code lazarus.topology.*}). Every application declaring the topology
 * must use the same values, or the broker refuses the second declaration (PRECONDITION_FAILED).
 *
 * @param deliveryLimit deliveries of one message (worker crashes count) before it dead-letters as poison
 * @param maxLength     0 for unbounded; otherwise publishers are refused (reject-publish) past this many messages
 * @param declare       false for a broker user without the right to configure the shared topology (the role users of
 *                      {@code lazarus broker setup}): the application then only checks that it exists
 */
@ConfigurationProperties("lazarus.topology")
public record TopologySettings(
        @DefaultValue("5") int deliveryLimit,
        @DefaultValue("0") long maxLength,
        @DefaultValue("true") boolean declare) {

    public TopologySettings {
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException(
                    "lazarus.topology.delivery-limit must be 1 or more, was " + deliveryLimit);
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException("lazarus.topology.max-length must be 0 or more, was " + maxLength);
        }
    }
}
