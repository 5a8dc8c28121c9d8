package io.lazarus.coordinator.history;

import java.util.List;
import java.util.OptionalLong;

/**
 * A command's stall timeout from the longest silences of its successful runs: a high quantile of them times a margin,
 * kept between a floor and the ceiling. A quantile rather than the mean and deviation the worker's own learning uses:
 * the silences of a command are skewed (a mirror that is slow once a week), and the timeout must clear nearly all of
 * them, not the typical one.
 */
public final class StallEstimator {

    private final HistoryProperties.LearnedStall settings;

    public StallEstimator(HistoryProperties.LearnedStall settings) {
        this.settings = settings;
    }

    /** Empty until there are {@code min-samples} samples. */
    public OptionalLong estimate(List<Long> silencesMs, long ceilingMs) {
        if (silencesMs.size() < settings.minSamples()) {
            return OptionalLong.empty();
        }
        long[] sorted = silencesMs.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(settings.quantile() * sorted.length);
        long quantile = sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
        long learned = (long) Math.ceil(quantile * settings.margin());
        long floor = Math.min(settings.floor().toMillis(), ceilingMs);
        return OptionalLong.of(Math.clamp(learned, floor, ceilingMs));
    }
}
