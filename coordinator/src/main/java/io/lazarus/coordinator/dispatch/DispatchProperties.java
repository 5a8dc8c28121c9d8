package io.lazarus.coordinator.dispatch;

import io.lazarus.common.retry.Backoff;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.dispatch.*}: how install messages the broker refuses (a full queue with reject-publish) are published
 * again.
 *
 * @param publishAttempts   rounds of publishing a refused message, the first included, before the run gives up
 * @param publishBackoff    the pause after the first refused round; each next one doubles
 * @param publishBackoffMax cap of one pause
 */
@ConfigurationProperties("lazarus.dispatch")
public record DispatchProperties(
        @DefaultValue("8") int publishAttempts,
        @DefaultValue("200ms") Duration publishBackoff,
        @DefaultValue("5s") Duration publishBackoffMax) {

    public DispatchProperties {
        if (publishAttempts < 1) {
            throw new IllegalArgumentException(
                    "lazarus.dispatch.publish-attempts must be 1 or more, was " + publishAttempts);
        }
        if (publishBackoff.isNegative() || publishBackoffMax.isNegative()) {
            throw new IllegalArgumentException(
                    "lazarus.dispatch.publish-backoff and publish-backoff-max cannot be" + " negative");
        }
    }

    /** The pauses between publishing rounds. */
    Backoff publishPauses() {
        return new Backoff(publishBackoff, publishBackoffMax, false);
    }
}
