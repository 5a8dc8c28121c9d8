package io.lazarus.worker.ssh;

import io.lazarus.common.contract.Timeouts;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code lazarus.watchdog.*}: nothing may block forever. A run may override the timeouts in its messages; the
 * node deadline is always capped by {@code max-node-deadline}, which must stay below the broker's
 * {@code consumer_timeout} (30 min by default) or the broker takes the message back mid-install.
 *
 * @param stallTimeout     longest silence (no byte on stdout or stderr) a command may keep
 * @param stallRetries     re-runs of a stalled command before the outcome is STALLED
 * @param commandTimeout   hard cap for one command
 * @param nodeDeadline     hard cap for one delivery, connects included
 * @param maxNodeDeadline  no message may ask for more than this
 * @param commandAttempts  runs of a command that exits non-zero, before COMMAND_FAILED
 * @param commandRetryDelay pause between those runs
 * @param tailBytes        bytes of stdout and of stderr kept for the report
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
        @DefaultValue("4096") int tailBytes) {

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
    public Timeouts effective(Timeouts requested, Duration defaultConnect) {
        Duration node = pick(requested.nodeDeadline(), nodeDeadline);
        return new Timeouts(pick(requested.connect(), defaultConnect), pick(requested.stall(), stallTimeout),
                pick(requested.command(), commandTimeout), node.compareTo(maxNodeDeadline) > 0 ? maxNodeDeadline : node);
    }

    private static Duration pick(Duration requested, Duration fallback) {
        return requested != null ? requested : fallback;
    }
}
