package io.lazarus.coordinator.broker;

import java.util.Locale;

/** The broker users Lazarus needs, one per kind of client (README "Broker users and permissions"). */
public enum BrokerRole {
    /** Declares the topology at deploy time; nothing of Lazarus runs as it. */
    ADMIN,
    /** The lazarus command and the coordinator service. */
    COORDINATOR,
    /** Every worker replica. */
    WORKER,
    /** KEDA and Prometheus: the management API and metrics, nothing over AMQP. */
    MONITORING;

    /** {@code worker}: the user's name after its prefix, and its credentials file {@code worker.properties}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BrokerRole of(String word) {
        for (BrokerRole role : values()) {
            if (role.word().equals(word)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no broker role '" + word + "' (admin, coordinator, worker, monitoring)");
    }
}
