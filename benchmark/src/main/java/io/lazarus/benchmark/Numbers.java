package io.lazarus.benchmark;

/** Rounding for printed and written numbers: two decimals say all a benchmark on a shared machine can. */
final class Numbers {

    private Numbers() {
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static double mib(double bytes) {
        return round(bytes / (1 << 20));
    }
}
