package io.lazarus.coordinator.broker;

import java.util.List;

/** The users of every role in one vhost: what {@code lazarus broker setup} applies or prints. */
public record BrokerUsers(String vhost, List<BrokerUser> users) {

    public BrokerUsers {
        users = List.copyOf(users);
    }

    public BrokerUser of(BrokerRole role) {
        return users.stream()
                .filter(u -> u.role() == role)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + role.word() + " user"));
    }
}
