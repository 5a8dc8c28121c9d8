package io.lazarus.worker.install;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for executions: this worker process's random 64-bit prefix and a counter. Unique across workers and restarts
 * without a trip to the system's random source per message, which a thousand messages arriving at once queue on.
 */
final class ExecutionIds {

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    ExecutionIds() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random);
    }

    String next() {
        return prefix + "-" + Long.toHexString(counter.incrementAndGet());
    }
}
