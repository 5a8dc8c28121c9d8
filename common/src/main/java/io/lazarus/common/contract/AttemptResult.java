package io.lazarus.common.contract;

import java.util.List;

/**
 * The facts behind a finished attempt.
 *
 * @param exitStatus       of the last command run; null when none arrived
 * @param reason           readable, one line; empty on success
 * @param stdoutTail       the last bytes of stdout (bounded by the worker's tail size)
 * @param connectAttempts  TCP/SSH connect attempts used
 * @param hostKeyFingerprint SHA256 fingerprint of the key the node presented; null if none was seen
 * @param timeouts         the timeouts actually in force for this attempt
 */
public record AttemptResult(
        Outcome outcome,
        Integer exitStatus,
        String reason,
        long durationMs,
        List<CommandResult> commands,
        String stdoutTail,
        String stderrTail,
        long bytesReceived,
        int connectAttempts,
        String hostKeyFingerprint,
        Timeouts timeouts) {

    public AttemptResult {
        if (outcome == null) {
            throw new IllegalArgumentException("result.outcome is required");
        }
        reason = reason == null ? "" : reason;
        commands = commands == null ? List.of() : List.copyOf(commands);
        stdoutTail = stdoutTail == null ? "" : stdoutTail;
        stderrTail = stderrTail == null ? "" : stderrTail;
        timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
    }

    /** An attempt that never reached the node, for example a message the worker could not read. */
    public static AttemptResult without(Outcome outcome, String reason) {
        return new AttemptResult(outcome, null, reason, 0, List.of(), "", "", 0, 0, null, Timeouts.DEFAULTS);
    }
}
