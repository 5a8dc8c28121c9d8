package io.lazarus.worker.ssh;

import java.time.Duration;
import java.util.Locale;

final class Durations {

    private Durations() {}

    /** {@code 90s}, {@code 1m30s}, {@code 300ms}: how durations read in reasons. */
    static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        return d.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                .toString()
                .substring(2)
                .toLowerCase(Locale.ROOT);
    }

    static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sleeps, keeping an interrupt for the caller to see. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
