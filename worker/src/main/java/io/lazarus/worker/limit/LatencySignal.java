package io.lazarus.worker.limit;

import java.time.Duration;

/**
 * One latency the limit follows: the mean of each interval, judged against a baseline that is the lowest mean seen,
 * drifting up by 1% of the difference per interval, so that a lasting change (a slower network) is learned within
 * minutes while a burst is not. Not thread-safe: {@link AdaptiveLimit} guards it.
 */
final class LatencySignal {

    private static final double BASELINE_DRIFT = 0.01;

    private long windowNanos;
    private int windowSamples;
    private double baselineNanos = Double.NaN;
    private double lastMeanNanos = Double.NaN;

    void add(Duration latency) {
        windowNanos += latency.toNanos();
        windowSamples++;
    }

    /** Ends the interval: its mean in nanoseconds, NaN if it had no samples. */
    double close() {
        double mean = windowSamples == 0 ? Double.NaN : (double) windowNanos / windowSamples;
        windowNanos = 0;
        windowSamples = 0;
        return mean;
    }

    /** Whether an interval's mean grew past {@code tolerance} x the baseline and past the {@code allowance}. */
    boolean grew(double mean, double tolerance, Duration allowance) {
        return !Double.isNaN(mean)
                && !Double.isNaN(baselineNanos)
                && mean > baselineNanos * tolerance
                && mean > allowance.toNanos();
    }

    /** Takes an interval's mean into the baseline, once it has been judged. */
    void learn(double mean) {
        if (!Double.isNaN(mean)) {
            lastMeanNanos = mean;
            baselineNanos = Double.isNaN(baselineNanos) || mean < baselineNanos
                    ? mean
                    : baselineNanos + (mean - baselineNanos) * BASELINE_DRIFT;
        }
    }

    /** Null before the first sample. */
    Duration baseline() {
        return Double.isNaN(baselineNanos) ? null : Duration.ofNanos((long) baselineNanos);
    }

    /** The mean of the last interval that had samples; null before the first. */
    Duration last() {
        return Double.isNaN(lastMeanNanos) ? null : Duration.ofNanos((long) lastMeanNanos);
    }
}
