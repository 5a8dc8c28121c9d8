package io.lazarus.fleet;

import java.time.Instant;

/** One command a simulated node was asked to run, as it received it. */
public record Execution(String user, String command, Instant startedAt, int exitCode) {
}
