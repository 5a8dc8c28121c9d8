package io.lazarus.worker.ssh;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learns the stall timeout of each script command the way TCP learns its retransmission timeout (RFC 6298): every
 * successful run contributes its longest silence as a sample; the timeout is the smoothed sample plus four times its
 * smoothed deviation, kept between a floor and the stall timeout in force. Until a command has enough samples, the
 * configured stall timeout holds. Commands are told apart by the script's sha256 and their index, so a script that
 * changes starts learning afresh, and every worker learns on its own.
 */
final class AdaptiveStall {

    private static final int MAX_COMMANDS = 10_000;

    private final WatchdogProperties.AdaptiveStall settings;
    private final Map<Key, Estimate> estimates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Estimate> eldest) {
            return size() > MAX_COMMANDS;
        }
    };

    AdaptiveStall(WatchdogProperties.AdaptiveStall settings) {
        this.settings = settings;
    }

    /** The stall timeout for the next run of this command, learned when enough runs taught it. */
    synchronized StallTimeout timeout(String scriptSha256, int command, Duration ceiling) {
        Estimate estimate = estimates.get(new Key(scriptSha256, command));
        if (estimate == null || estimate.samples < settings.minSamples()) {
            return new StallTimeout(ceiling, false);
        }
        long learned = Math.round(estimate.smoothed + 4 * estimate.deviation);
        long floor = Math.min(settings.floor().toMillis(), ceiling.toMillis());
        long bounded = Math.clamp(learned, floor, ceiling.toMillis());
        return new StallTimeout(Duration.ofMillis(bounded), true);
    }

    synchronized void learn(String scriptSha256, int command, long longestSilenceMs) {
        estimates
                .computeIfAbsent(new Key(scriptSha256, command), k -> new Estimate())
                .add(longestSilenceMs);
    }

    record StallTimeout(Duration value, boolean learned) {}

    private record Key(String scriptSha256, int command) {}

    private static final class Estimate {
        private int samples;
        private double smoothed;
        private double deviation;

        void add(double sample) {
            if (samples++ == 0) {
                smoothed = sample;
                deviation = sample / 2;
            } else {
                deviation = 0.75 * deviation + 0.25 * Math.abs(smoothed - sample);
                smoothed = 0.875 * smoothed + 0.125 * sample;
            }
        }
    }
}
