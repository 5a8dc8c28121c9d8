package io.lazarus.coordinator.trust;

import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.trust.*}: whose word the registry takes. RabbitMQ checks an event's user-id against the login that
 * published it, so these are broker logins.
 *
 * @param workerUsers      the logins whose STARTED and FINISHED events are recorded
 * @param coordinatorUsers the logins whose DEAD_LETTERED events are recorded, besides this coordinator's own
 */
@ConfigurationProperties("lazarus.trust")
public record TrustProperties(
        @DefaultValue("lazarus-worker") Set<String> workerUsers,
        @DefaultValue("lazarus-coordinator") Set<String> coordinatorUsers) {

    public TrustProperties {
        workerUsers = Set.copyOf(workerUsers);
        coordinatorUsers = Set.copyOf(coordinatorUsers);
    }
}
