package io.lazarus.benchmark;

/** Rounding for printed and written numbers (two decimals say all a benchmark on a shared machine can), percentiles. */
final class Numbers {

    private Numbers() {}

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static double mib(double bytes) {
        return round(bytes / (1 << 20));
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
