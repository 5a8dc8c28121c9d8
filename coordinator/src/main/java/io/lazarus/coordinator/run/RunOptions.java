package io.lazarus.coordinator.run;

import io.lazarus.common.contract.Timeouts;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code lazarus run} was asked to do, already validated.
 *
 * @param deadline     no worker starts a node of this run after {@code start + deadline}
 * @param maxNodeTime  how long a node started just before the deadline may still take: bounds the wait
 */
public record RunOptions(
        Path inventory,
        Path script,
        String defaultUser,
        int defaultPort,
        boolean waitForOutcome,
        Path jsonReport,
        Path junitReport,
        Duration deadline,
        Duration maxNodeTime,
        Timeouts timeouts,
        Duration progressInterval) {
}
