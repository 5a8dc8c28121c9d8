package io.lazarus.common.contract;

import java.time.Instant;

/**
 * Why and when the broker dead-lettered an install message.
 *
 * @param reason        the broker's reason: {@code rejected} (the worker found it resurrectable, or unreadable),
 *                      {@code delivery_limit} (workers died on it again and again), {@code expired} (its deadline
 *                      passed before any worker took it)
 * @param queue         the queue it died in
 * @param at            when, as the broker stamped it (or when it was recorded, if the broker did not)
 * @param resurrections how often it had been resurrected before
 */
public record DeadLetter(String reason, String queue, Instant at, int resurrections) {

    public static final String REJECTED = "rejected";
    public static final String DELIVERY_LIMIT = "delivery_limit";
    public static final String EXPIRED = "expired";

    public DeadLetter {
        Contracts.require(reason, "deadLetter.reason");
        Contracts.requireAtMost(reason, "deadLetter.reason", 32);
        Contracts.requireAtMost(queue, "deadLetter.queue", 255);
        if (at == null) {
            throw new InvalidField("deadLetter.at", "is required");
        }
    }
}
