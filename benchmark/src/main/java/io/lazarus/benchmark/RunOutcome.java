package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the coordinator's JSON report says about the run.
 *
 * @param outcomes    nodes by outcome (the report's {@code summary}, GHOST included)
 * @param startedAt   the report's {@code startedAt}: the run's start, read before its nodes are registered
 * @param finishedAt  the report's {@code finishedAt}: the last outcome
 * @param durationsMs each node's attempt as its worker measured it (connect plus install), ascending
 * @param failures    a few nodes that did not succeed, with their reasons
 */
record RunOutcome(
        int total,
        Map<String, Integer> outcomes,
        Instant startedAt,
        Instant finishedAt,
        long[] durationsMs,
        List<String> failures) {

    private static final int FAILURES_SHOWN = 10;

    static RunOutcome read(Path report) {
        JsonNode json = Contracts.mapper().readTree(report.toFile());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        json.path("summary")
                .properties()
                .forEach(e -> outcomes.put(e.getKey(), e.getValue().asInt()));
        List<String> failures = new ArrayList<>();
        List<Long> durations = new ArrayList<>();
        for (JsonNode node : json.path("nodes")) {
            durations.add(node.path("durationMs").asLong());
            if (!"SUCCEEDED".equals(node.path("state").asString()) && failures.size() < FAILURES_SHOWN) {
                failures.add(node.path("node").asString() + " "
                        + node.path("outcome").asString() + ": "
                        + node.path("reason").asString());
            }
        }
        return new RunOutcome(
                json.path("total").asInt(),
                outcomes,
                Instant.parse(json.path("startedAt").asString()),
                Instant.parse(json.path("finishedAt").asString()),
                durations.stream().mapToLong(Long::longValue).sorted().toArray(),
                failures);
    }

    /** From the run's start to the last outcome. */
    Duration makespan() {
        return Duration.between(startedAt, finishedAt);
    }

    boolean allSucceeded(int expected) {
        return total == expected && outcomes.getOrDefault("SUCCEEDED", 0) == expected;
    }

    /** The p-th percentile (0..100) of the nodes' attempt durations, nearest rank. */
    long durationPercentileMs(int p) {
        return Numbers.percentile(durationsMs, p);
    }
}
