package io.lazarus.coordinator.registry;

import java.time.Instant;

/** Who holds a run's lease now, under which epoch, and until when unless renewed. */
public record LeaseHolder(String owner, long epoch, Instant expiresAt) {}
