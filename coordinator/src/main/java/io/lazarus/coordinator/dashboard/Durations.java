package io.lazarus.coordinator.dashboard;

import java.time.Duration;
import java.time.Instant;

/** Durations as people read them: {@code 2h 03m}, {@code 4m 05s}, {@code 12.3s}. */
final class Durations {

    private Durations() {}

    static String between(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        return of(Duration.between(start, end == null ? Instant.now() : end));
    }

    static String ofMillis(long millis) {
        return of(Duration.ofMillis(millis));
    }

    static String of(Duration duration) {
        if (duration.isNegative()) {
            return "0s";
        }
        if (duration.toHours() > 0) {
            return String.format("%dh %02dm", duration.toHours(), duration.toMinutesPart());
        }
        if (duration.toMinutes() > 0) {
            return String.format("%dm %02ds", duration.toMinutes(), duration.toSecondsPart());
        }
        return String.format("%.1fs", duration.toMillis() / 1000.0);
    }
}
