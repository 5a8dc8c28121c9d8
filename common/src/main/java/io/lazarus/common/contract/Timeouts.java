package io.lazarus.common.contract;

import java.time.Duration;

/**
 * Per-run overrides of the worker's watchdog. A null field means "the worker's configured default".
 *
 * @param connect      TCP connect plus SSH handshake, per connect attempt
 * @param stall        longest silence (no byte on stdout or stderr) a command may keep
 * @param command      hard cap for one command
 * @param nodeDeadline hard cap for the whole delivery; must stay below the broker's consumer timeout
 */
public record Timeouts(Duration connect, Duration stall, Duration command, Duration nodeDeadline) {

    public static final Timeouts DEFAULTS = new Timeouts(null, null, null, null);

    public Timeouts {
        positive(connect, "timeouts.connect");
        positive(stall, "timeouts.stall");
        positive(command, "timeouts.command");
        positive(nodeDeadline, "timeouts.nodeDeadline");
    }

    private static void positive(Duration d, String field) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
    }
}
