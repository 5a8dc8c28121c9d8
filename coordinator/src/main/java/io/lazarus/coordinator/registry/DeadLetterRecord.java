package io.lazarus.coordinator.registry;

import java.time.Instant;

/**
 * One dead-lettered attempt: the broker's reason, and what the gatekeeper did with it.
 *
 * @param reason  {@code rejected}, {@code delivery_limit} or {@code expired}; null until the record arrives
 * @param verdict {@code resurrected}, {@code quarantined}, {@code released} or {@code dropped}; null until drained
 */
public record DeadLetterRecord(
        String attemptId,
        String runId,
        String nodeId,
        int attempt,
        String reason,
        String queue,
        Instant deadLetteredAt,
        int resurrections,
        String verdict,
        String verdictDetail,
        Instant decidedAt) {}
