package io.lazarus.coordinator.registry;

import java.util.Objects;

/**
 * One replica's hold on one run: only its holder follows the run, and the registry accepts the follower's writes only
 * while {@code epoch} is still the run's (the fencing token; every acquisition increments it).
 */
public record Lease(String runId, String owner, long epoch) {

    public Lease {
        Objects.requireNonNull(runId);
        Objects.requireNonNull(owner);
    }
}
