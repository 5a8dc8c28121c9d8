package io.lazarus.coordinator.registry;

import java.time.Instant;
import java.util.List;

/**
 * A run as the registry keeps it, with its inputs, so that it can be inspected and run again.
 *
 * @param inventory the inventory's text as it was read
 * @param options   the run's options, as JSON
 * @param releaseStopped why release stopped before every node was released (its flow control, a cancel); null if it
 *                       has not
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
        Instant finishedAt,
        String releaseStopped) {

    /** The run's variables, from its options: the same for every attempt, resurrections included. */
    public java.util.Map<String, String> vars() {
        tools.jackson.databind.JsonNode vars =
                io.lazarus.common.contract.Contracts.mapper().readTree(options).get("vars");
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        if (vars != null && vars.isObject()) {
            vars.properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
        }
        return values;
    }
}
