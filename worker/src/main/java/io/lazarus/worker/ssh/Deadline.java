package io.lazarus.worker.ssh;

import java.time.Duration;

/** A point in monotonic time that a delivery, or one run of a command, must not outlive. */
record Deadline(long startNanos, long endNanos) {

    static Deadline after(Duration limit) {
        long now = System.nanoTime();
        return new Deadline(now, now + limit.toNanos());
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    Duration cap(Duration wanted) {
        Duration left = remaining();
        return wanted.compareTo(left) <= 0 ? wanted : left;
    }
}
