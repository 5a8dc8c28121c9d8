package io.lazarus.worker.ssh;

import java.util.concurrent.locks.LockSupport;

/**
 * The output clock of one command run. JSch's session thread stamps it for every byte that arrives and signals when a
 * stream closes; the watchdog's thread parks on it between checks, so a finished command is seen at once without
 * polling a thousand sessions in a tight loop.
 */
final class Activity {

    private final long startedNanos = System.nanoTime();
    private final Thread watcher = Thread.currentThread();
    private volatile long lastNanos = startedNanos;
    private volatile long longestGapNanos;
    private volatile boolean streamClosed;

    void output() {
        long now = System.nanoTime();
        long gap = now - lastNanos;
        if (gap > longestGapNanos) {
            longestGapNanos = gap;
        }
        lastNanos = now;
    }

    void streamClosed() {
        streamClosed = true;
        LockSupport.unpark(watcher);
    }

    /** Something waits for the watchdog's thread (a full chunk of output). */
    void wake() {
        LockSupport.unpark(watcher);
    }

    boolean isStreamClosed() {
        return streamClosed;
    }

    long lastOutputNanos() {
        return lastNanos;
    }

    long silenceNanos() {
        return System.nanoTime() - lastNanos;
    }

    /** The longest silence so far, the current one included. */
    long longestSilenceNanos() {
        return Math.max(longestGapNanos, silenceNanos());
    }

    long startedNanos() {
        return startedNanos;
    }

    void park(long nanos) {
        LockSupport.parkNanos(this, nanos);
    }
}
