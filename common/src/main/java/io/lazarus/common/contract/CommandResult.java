package io.lazarus.common.contract;

/**
 * How one command of the script went, in its last run.
 *
 * @param exitStatus          null when no exit status arrived (signal, stall, timeout, dropped session)
 * @param exitSignal          the signal that ended the command (e.g. {@code KILL}), when the node reported one
 * @param attempts            runs of this command within the delivery (stall retries and command attempts)
 * @param stallTimeoutMs      the stall timeout its last run was held to
 * @param stallTimeoutLearned whether that timeout was learned from earlier runs (adaptive) rather than configured
 * @param longestSilenceMs    the longest gap without output in its last run, start and exit included
 */
public record CommandResult(
        int index,
        Integer exitStatus,
        String exitSignal,
        long durationMs,
        int attempts,
        long stallTimeoutMs,
        boolean stallTimeoutLearned,
        long longestSilenceMs) {}
