package io.lazarus.common.contract;

import java.time.Duration;
import java.util.Map;

/**
 * The watchdog's limits for one attempt. In an install message these are the run's overrides, where null means "the
 * worker's configured default"; in a result they are the limits that were in force.
 *
 * @param connect         TCP connect, SSH banner and key exchange, per connect attempt
 * @param auth            authentication, once the host key is accepted
 * @param stall           longest silence (no byte on stdout or stderr) a command may keep; the ceiling when adaptive
 * @param stallRetries    re-runs of a stalled command, on a fresh session, before the outcome is STALLED
 * @param adaptiveStall   learn each script command's stall timeout from its successful runs
 * @param command         hard cap for one run of one command
 * @param commandAttempts runs of a command that exits non-zero before the outcome is COMMAND_FAILED
 * @param nodeDeadline    hard cap for the whole delivery; must stay below the broker's consumer timeout
 * @param learnedStall    the stall timeout of a script command, by its index, that the coordinator learned from the
 *                        registry's history of the command; the worker holds it to {@code stall} at most. Absent in
 *                        messages from before learning: none
 */
public record Watchdog(
        Duration connect,
        Duration auth,
        Duration stall,
        Integer stallRetries,
        Boolean adaptiveStall,
        Duration command,
        Integer commandAttempts,
        Duration nodeDeadline,
        Map<Integer, Duration> learnedStall) {

    public static final Watchdog DEFAULTS = new Watchdog(null, null, null, null, null, null, null, null, null);

    public Watchdog {
        positive(connect, "watchdog.connect");
        positive(auth, "watchdog.auth");
        positive(stall, "watchdog.stall");
        positive(command, "watchdog.command");
        positive(nodeDeadline, "watchdog.nodeDeadline");
        if (stallRetries != null && stallRetries < 0) {
            throw new InvalidField("watchdog.stallRetries", "must be 0 or more, was " + stallRetries);
        }
        if (commandAttempts != null && commandAttempts < 1) {
            throw new InvalidField("watchdog.commandAttempts", "must be 1 or more, was " + commandAttempts);
        }
        learnedStall = learnedStall == null ? Map.of() : Map.copyOf(learnedStall);
        learnedStall.forEach((index, timeout) -> {
            if (index < 0) {
                throw new InvalidField("watchdog.learnedStall", "names command " + index + ", which is not one");
            }
            positive(timeout, "watchdog.learnedStall");
        });
    }

    /** These limits, with the stall timeouts learned for the script's commands. */
    public Watchdog withLearnedStall(Map<Integer, Duration> learned) {
        return new Watchdog(
                connect, auth, stall, stallRetries, adaptiveStall, command, commandAttempts, nodeDeadline, learned);
    }

    private static void positive(Duration d, String field) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new InvalidField(field, "must be positive, was " + d);
        }
    }
}
