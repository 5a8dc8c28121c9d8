package io.lazarus.benchmark;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rounding for printed and written numbers (two decimals say all a benchmark on a shared machine can), percentiles. */
final class Numbers {

    private Numbers() {}

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static double mib(double bytes) {
        return round(bytes / (1 << 20));
    }

    /** Durations by name as rounded seconds, in the same order. */
    static Map<String, Double> seconds(Map<String, Duration> durations) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        durations.forEach((name, d) -> seconds.put(name, round(d.toMillis() / 1000.0)));
        return seconds;
    }

    /** The p-th percentile (0..100) of ascending values, nearest rank; 0 when there are none. */
    static long percentile(long[] ascending, int p) {
        if (ascending.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(0, rank - 1)];
    }
}
