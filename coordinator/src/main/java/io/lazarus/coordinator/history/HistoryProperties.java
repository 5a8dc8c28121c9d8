package io.lazarus.coordinator.history;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.history.*}: what runs learn from the registry's history of earlier runs.
 *
 * @param learnedStall  stall timeouts learned from each command's successful runs
 * @param flakyLookback how far back a node's transient failures count for {@code --order history}
 */
@ConfigurationProperties("lazarus.history")
public record HistoryProperties(
        @DefaultValue LearnedStall learnedStall,
        @DefaultValue("14d") Duration flakyLookback) {

    /** The defaults, as an unconfigured coordinator has them. */
    public static HistoryProperties defaults() {
        return new HistoryProperties(
                new LearnedStall(
                        true, 20, 200, Duration.ofDays(30), 0.99, 2.0, Duration.ofSeconds(10), Duration.ofSeconds(90)),
                Duration.ofDays(14));
    }

    /**
     * {@code lazarus.history.learned-stall.*}.
     *
     * @param enabled    for runs that do not say; a run switches it off with {@code --no-learned-stall}
     * @param minSamples successful runs of a command before its timeout is learned
     * @param window     the newest samples learned from
     * @param lookback   samples older than this are forgotten
     * @param quantile   of the samples' longest silences
     * @param margin     the quantile is multiplied by this
     * @param floor      never less than this
     * @param ceiling    never more than this, nor than the run's {@code --stall-timeout}; a worker also holds it to
     *                   its own stall timeout
     */
    public record LearnedStall(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("20") int minSamples,
            @DefaultValue("200") int window,
            @DefaultValue("30d") Duration lookback,
            @DefaultValue("0.99") double quantile,
            @DefaultValue("2.0") double margin,
            @DefaultValue("10s") Duration floor,
            @DefaultValue("90s") Duration ceiling) {

        public LearnedStall {
            if (minSamples < 1 || window < minSamples) {
                throw new IllegalArgumentException(
                        "lazarus.history.learned-stall: min-samples must be 1 or more, and window at least min-samples");
            }
            if (!(quantile > 0 && quantile <= 1) || !(margin >= 1)) {
                throw new IllegalArgumentException(
                        "lazarus.history.learned-stall: quantile must be in (0, 1], margin 1 or more");
            }
        }
    }
}
