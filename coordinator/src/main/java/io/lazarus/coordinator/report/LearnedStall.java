package io.lazarus.coordinator.report;

/**
 * The stall timeout a run gave one command of its script, learned from the registry's history of the command.
 *
 * @param command   the command's index in the script
 * @param timeoutMs the learned timeout; a worker holds the command to its own stall timeout if that is shorter
 * @param samples   the successful runs of the command it was learned from
 */
public record LearnedStall(int command, long timeoutMs, int samples) {}
