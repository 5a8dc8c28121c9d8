package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.topology.Topology;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What a dead-lettered install message says about itself, from its headers alone: its body may be what made it
 * unreadable in the first place.
 *
 * @param runId  "unknown" when the message named no valid run
 * @param nodeId "unknown" when the message named no node
 */
public record DeadLetteredMessage(String attemptId, String runId, String nodeId, int attempt, DeadLetter deadLetter) {

    static final String UNKNOWN = "unknown";

    public boolean identified() {
        return !UNKNOWN.equals(runId) && !UNKNOWN.equals(nodeId);
    }

    static DeadLetteredMessage of(ParkedMessage message) {
        return read(message.messageId(), message.headers());
    }

    /** How long the run gave its nodes, from its recorded options: a node brought back later gets as long again. */
    static java.time.Duration runWindow(String runOptions) {
        return java.time.Duration.parse(
                Contracts.mapper().readTree(runOptions).get("deadline").asString());
    }

    /** The run's watchdog, from its recorded options: a resurrected attempt runs under the same limits. */
    static io.lazarus.common.contract.Watchdog watchdog(String runOptions) {
        tools.jackson.databind.JsonNode watchdog =
                Contracts.mapper().readTree(runOptions).get("watchdog");
        return watchdog == null || watchdog.isNull()
                ? null
                : Contracts.mapper().treeToValue(watchdog, io.lazarus.common.contract.Watchdog.class);
    }

    /** The run's uploads, from its recorded options: a resurrected attempt copies the same files. */
    static java.util.List<io.lazarus.common.contract.FileUpload> uploads(String runOptions) {
        tools.jackson.databind.JsonNode uploads =
                Contracts.mapper().readTree(runOptions).get("uploads");
        if (uploads == null || !uploads.isArray()) {
            return java.util.List.of();
        }
        java.util.List<io.lazarus.common.contract.FileUpload> files = new java.util.ArrayList<>();
        uploads.forEach(upload ->
                files.add(Contracts.mapper().treeToValue(upload, io.lazarus.common.contract.FileUpload.class)));
        return files;
    }

    /** The names of the run's secrets, from its recorded options: a resurrected attempt gets the same ones. */
    static java.util.List<String> secrets(String runOptions) {
        tools.jackson.databind.JsonNode secrets =
                Contracts.mapper().readTree(runOptions).get("secrets");
        if (secrets == null || !secrets.isArray()) {
            return java.util.List.of();
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        secrets.forEach(name -> names.add(name.asString()));
        return names;
    }

    static DeadLetteredMessage read(String messageId, Map<String, Object> headers) {
        String runId = text(headers.get(Topology.HEADER_RUN_ID));
        String nodeId = text(headers.get(Topology.HEADER_NODE_ID));
        String reason = text(headers.get(Topology.HEADER_DEATH_REASON));
        String queue = text(headers.get("x-first-death-queue"));
        DeadLetter deadLetter = new DeadLetter(
                reason == null ? "unknown" : reason,
                queue,
                deathTime(headers),
                number(headers.get(Topology.HEADER_RESURRECTIONS), 0));
        return new DeadLetteredMessage(
                messageId == null || messageId.isBlank() ? "unidentified-" + java.util.UUID.randomUUID() : messageId,
                Contracts.isValidRunId(runId) ? runId : UNKNOWN,
                nodeId == null || nodeId.isBlank() ? UNKNOWN : nodeId,
                Math.max(1, number(headers.get(Topology.HEADER_ATTEMPT), 1)),
                deadLetter);
    }

    /** The broker stamps each death in {@code x-death}; the oldest entry is the first death. */
    private static Instant deathTime(Map<String, Object> headers) {
        if (headers.get("x-death") instanceof List<?> deaths
                && !deaths.isEmpty()
                && deaths.getLast() instanceof Map<?, ?> first
                && first.get("time") instanceof Date time) {
            return time.toInstant();
        }
        return Instant.now();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static int number(Object value, int otherwise) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? otherwise : Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
