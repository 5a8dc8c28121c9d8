package io.lazarus.coordinator.registry;

import java.time.Instant;
import java.util.List;

/**
 * A run as the registry keeps it, with its inputs, so that it can be inspected and run again.
 *
 * @param inventory the inventory's text as it was read
 * @param options   the run's options, as JSON
 */
public record RunRecord(
        String runId,
        Instant createdAt,
        Instant deadline,
        RunState state,
        String scriptName,
        String scriptSha256,
        List<String> commands,
        String inventory,
        String options,
        int total,
        Instant finishedAt) {}
