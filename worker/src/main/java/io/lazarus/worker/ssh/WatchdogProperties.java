package io.lazarus.worker.ssh;

import io.lazarus.common.contract.Watchdog;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.watchdog.*}: nothing may block forever. A run may override these in its messages; the node deadline
 * is always capped by {@code max-node-deadline}, which must stay below the broker's {@code consumer_timeout} (30 min
 * by default) or the broker takes the message back mid-install.
 *
 * @param stallTimeout      longest silence (no byte on stdout or stderr) a command may keep; the ceiling when adaptive
 * @param stallRetries      re-runs of a stalled command, each on a fresh session, before the outcome is STALLED
 * @param commandTimeout    hard cap for one run of one command
 * @param nodeDeadline      hard cap for one delivery, connects included
 * @param maxNodeDeadline   no message may ask for more than this
 * @param commandAttempts   runs of a command that exits non-zero, before COMMAND_FAILED
 * @param commandRetryDelay pause between those runs
 * @param tailBytes         bytes of stdout and of stderr kept for the report
 * @param adaptiveStall     learning each command's stall timeout from its successful runs
 */
@ConfigurationProperties("lazarus.watchdog")
public record WatchdogProperties(
        @DefaultValue("90s") Duration stallTimeout,
        @DefaultValue("1") int stallRetries,
        @DefaultValue("15m") Duration commandTimeout,
        @DefaultValue("20m") Duration nodeDeadline,
        @DefaultValue("25m") Duration maxNodeDeadline,
        @DefaultValue("1") int commandAttempts,
        @DefaultValue("5s") Duration commandRetryDelay,
        @DefaultValue("4096") int tailBytes,
        @DefaultValue AdaptiveStall adaptiveStall) {

    /**
     * {@code lazarus.watchdog.adaptive-stall.*}: as TCP learns its retransmission timeout, the stall timeout of a
     * command becomes the smoothed longest silence of its successful runs plus four deviations, kept between
     * {@code floor} and the stall timeout in force.
     *
     * @param enabled    for runs that do not say; a run switches it with {@code --adaptive-stall}
     * @param floor      never less than this
     * @param minSamples successful runs of a command to learn from before the learned value is used
     */
    public record AdaptiveStall(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("10s") Duration floor,
            @DefaultValue("5") int minSamples) {

        public AdaptiveStall {
            if (minSamples < 1) {
                throw new IllegalArgumentException("lazarus.watchdog.adaptive-stall.min-samples must be 1 or more");
            }
        }
    }

    public WatchdogProperties {
        if (stallRetries < 0) {
            throw new IllegalArgumentException("lazarus.watchdog.stall-retries must be 0 or more");
        }
        if (commandAttempts < 1) {
            throw new IllegalArgumentException("lazarus.watchdog.command-attempts must be 1 or more");
        }
        if (tailBytes < 64) {
            throw new IllegalArgumentException("lazarus.watchdog.tail-bytes must be 64 or more");
        }
        if (nodeDeadline.compareTo(maxNodeDeadline) > 0) {
            throw new IllegalArgumentException("lazarus.watchdog.node-deadline " + nodeDeadline
                    + " exceeds lazarus.watchdog.max-node-deadline " + maxNodeDeadline);
        }
    }

    /** The run's overrides where it has them, these defaults elsewhere, the node deadline capped. */
    public Watchdog effective(Watchdog requested, SshProperties ssh) {
        Duration node = pick(requested.nodeDeadline(), nodeDeadline);
        return new Watchdog(
                pick(requested.connect(), ssh.connectTimeout()),
                pick(requested.auth(), ssh.authTimeout()),
                pick(requested.stall(), stallTimeout),
                pick(requested.stallRetries(), stallRetries),
                pick(requested.adaptiveStall(), adaptiveStall.enabled()),
                pick(requested.command(), commandTimeout),
                pick(requested.commandAttempts(), commandAttempts),
                node.compareTo(maxNodeDeadline) > 0 ? maxNodeDeadline : node,
                requested.learnedStall());
    }

    private static <T> T pick(T requested, T fallback) {
        return requested != null ? requested : fallback;
    }
}
