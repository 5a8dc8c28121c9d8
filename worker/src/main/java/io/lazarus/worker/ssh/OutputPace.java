package io.lazarus.worker.ssh;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often a running script's output is sent: every {@code flush-interval}, stretched so that the worker's attempts
 * together send at most {@code max-flushes-per-second} timed flushes. Every flush is a message through the broker and
 * a row in the registry: at 1000 nodes in flight and one flush a second each, a 1-minute install cost the coordinator
 * and the broker more than the SSH work itself. Full 64 KiB chunks are sent at once whatever the pace.
 */
final class OutputPace {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long floorNanos;
    private final int maxFlushesPerSecond;
    private final AtomicInteger running = new AtomicInteger();

    OutputPace(OutputProperties properties) {
        this.floorNanos = properties.flushInterval().toNanos();
        this.maxFlushesPerSecond = properties.maxFlushesPerSecond();
    }

    /** The interval between an attempt's timed flushes, for the attempts running now. */
    long intervalNanos() {
        return Math.max(floorNanos, running.get() * NANOS_PER_SECOND / maxFlushesPerSecond);
    }

    /** An attempt starts: it may flush until {@link #leave}. */
    void enter() {
        running.incrementAndGet();
    }

    void leave() {
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }
}
