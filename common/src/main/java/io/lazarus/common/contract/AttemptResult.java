package io.lazarus.common.contract;

import java.util.List;

/**
 * The facts behind a finished attempt.
 *
 * @param exitStatus         of the last command run; null when none arrived
 * @param exitSignal         the signal that ended the last command run, when the node reported one
 * @param reason             readable, one line; empty on success
 * @param commands           one entry per script command that ran, in order
 * @param steps              every connect attempt and every command run, retries included, in order
 * @param stdoutTail         the last bytes of stdout (bounded by the worker's tail size)
 * @param silenceMs          time since the last output when the attempt ended; null if no command ran
 * @param connectAttempts    TCP/SSH connect attempts used, reconnects after a stall included
 * @param hostKeyFingerprint SHA256 fingerprint of the key the node presented; null if none was seen
 * @param hostKey            how that key was verified; null if no key was checked (or the worker predates the field)
 * @param watchdog           the limits actually in force for this attempt
 * @param resurrectable      the worker dead-letters this attempt's message for resurrection instead of acking it
 * @param outputBytesDropped bytes of output not kept because the attempt reached the worker's output cap (the log
 *                           ends with a line saying so); 0 when all was kept
 */
public record AttemptResult(
        Outcome outcome,
        Integer exitStatus,
        String exitSignal,
        String reason,
        long durationMs,
        List<CommandResult> commands,
        List<AttemptStep> steps,
        String stdoutTail,
        String stderrTail,
        long bytesReceived,
        Long silenceMs,
        int connectAttempts,
        String hostKeyFingerprint,
        HostKeyCheck hostKey,
        Watchdog watchdog,
        boolean resurrectable,
        long outputBytesDropped) {

    public AttemptResult {
        if (outcome == null) {
            throw new InvalidField("result.outcome", "is required");
        }
        reason = reason == null ? "" : reason;
        commands = commands == null ? List.of() : List.copyOf(commands);
        steps = steps == null ? List.of() : List.copyOf(steps);
        stdoutTail = stdoutTail == null ? "" : stdoutTail;
        stderrTail = stderrTail == null ? "" : stderrTail;
        watchdog = watchdog == null ? Watchdog.DEFAULTS : watchdog;
    }

    /** A result of an attempt whose whole output was kept. */
    public AttemptResult(
            Outcome outcome,
            Integer exitStatus,
            String exitSignal,
            String reason,
            long durationMs,
            List<CommandResult> commands,
            List<AttemptStep> steps,
            String stdoutTail,
            String stderrTail,
            long bytesReceived,
            Long silenceMs,
            int connectAttempts,
            String hostKeyFingerprint,
            HostKeyCheck hostKey,
            Watchdog watchdog,
            boolean resurrectable) {
        this(
                outcome,
                exitStatus,
                exitSignal,
                reason,
                durationMs,
                commands,
                steps,
                stdoutTail,
                stderrTail,
                bytesReceived,
                silenceMs,
                connectAttempts,
                hostKeyFingerprint,
                hostKey,
                watchdog,
                resurrectable,
                0);
    }

    /** An attempt that never reached the node, for example a message the worker could not read. */
    public static AttemptResult without(Outcome outcome, String reason) {
        return new AttemptResult(
                outcome,
                null,
                null,
                reason,
                0,
                List.of(),
                List.of(),
                "",
                "",
                0,
                null,
                0,
                null,
                null,
                Watchdog.DEFAULTS,
                false);
    }

    public AttemptResult resurrectable(boolean resurrectable) {
        return new AttemptResult(
                outcome,
                exitStatus,
                exitSignal,
                reason,
                durationMs,
                commands,
                steps,
                stdoutTail,
                stderrTail,
                bytesReceived,
                silenceMs,
                connectAttempts,
                hostKeyFingerprint,
                hostKey,
                watchdog,
                resurrectable,
                outputBytesDropped);
    }
}
