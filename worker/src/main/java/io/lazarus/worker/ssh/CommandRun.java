package io.lazarus.worker.ssh;

import io.lazarus.common.contract.Outcome;

/**
 * How one run of one command ended.
 *
 * @param exit            exit status, when the node sent one
 * @param signal          the signal that ended the command, when the node sent one
 * @param detail          one readable line; empty on success
 * @param longestSilenceMs the longest gap without output, start and end included
 * @param lastOutputNanos  when its last byte arrived (its start if none did)
 */
record CommandRun(
        Outcome outcome,
        Integer exit,
        String signal,
        long durationMs,
        String detail,
        long longestSilenceMs,
        long lastOutputNanos) {

    /** The session is no use after this run: the command may still be running on the node. */
    boolean leftSessionUnusable() {
        return switch (outcome) {
            case SUCCEEDED, COMMAND_FAILED -> false;
            default -> true;
        };
    }
}
