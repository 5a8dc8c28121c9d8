package io.lazarus.common.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy of Lazarus: the pause before retry n (1, 2, ...) is {@code first} doubled n-1 times, at most
 * {@code max}; with {@code jitter} it is drawn uniformly from zero to that ("full jitter"), so that clients that failed
 * together do not come back together. Ours rather than Spring's {@code ExponentialBackOff}: its jitter stays around the
 * interval and never goes below the first one, and a resurrection needs its n-th pause without the ones before.
 *
 * @param first  the first pause (with jitter, its ceiling)
 * @param max    no pause is longer
 * @param jitter draw each pause from zero to its ceiling
 */
public record Backoff(Duration first, Duration max, boolean jitter) {

    /** Past this many doublings a pause grows no more: far beyond any wait, and safe for Instant arithmetic. */
    private static final int MAX_DOUBLINGS = 16;

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("a backoff pause cannot be negative: first " + first + ", max " + max);
        }
    }

    /** Doubles from {@code first} with no cap of its own, and no jitter. */
    public static Backoff doubling(Duration first) {
        return new Backoff(first, first.multipliedBy(1L << MAX_DOUBLINGS), false);
    }

    /** The longest pause before retry {@code retry} (1 for the first retry). */
    public Duration ceiling(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1, was " + retry);
        }
        Duration doubled = first.multipliedBy(1L << Math.min(retry - 1, MAX_DOUBLINGS));
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /** The pause before retry {@code retry} (1 for the first retry). */
    public Duration pause(int retry) {
        Duration ceiling = ceiling(retry);
        return jitter ? Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling.toMillis() + 1)) : ceiling;
    }
}
