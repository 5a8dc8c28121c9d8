package io.lazarus.worker.ssh;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: a pause drawn uniformly from [0, min(cap, base * 2^(attempt-1))]. */
record Backoff(Duration base, Duration cap) {

    Duration before(int nextAttempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(nextAttempt - 2, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
