package io.lazarus.coordinator.broker;

import java.util.List;
import java.util.Optional;

/** What one role may do on the broker: its user tag, its permissions in the vhost, its topic permission. */
public record RoleGrant(
        BrokerRole role, Optional<String> tag, Permissions permissions, Optional<TopicPermission> topic) {

    public List<String> tags() {
        return tag.stream().toList();
    }
}
