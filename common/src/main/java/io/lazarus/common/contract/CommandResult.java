package io.lazarus.common.contract;

/**
 * How one command of the script went.
 *
 * @param exitStatus null when no exit status arrived (stall, timeout, dropped session)
 * @param attempts   runs of this command within the delivery (stall retries and command attempts)
 */
public record CommandResult(int index, Integer exitStatus, long durationMs, int attempts) {
}
