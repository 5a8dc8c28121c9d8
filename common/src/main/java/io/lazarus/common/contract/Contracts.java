package io.lazarus.common.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.NestedExceptionUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON codec of every Lazarus message. Readers check {@code schemaVersion} before anything else, so a message
 * from a newer, incompatible producer is recognised as such instead of being half-understood. Unknown fields are
 * tolerated: adding a field is a compatible change; anything else bumps the version.
 */
public final class Contracts {

    public static final int SCHEMA_VERSION = 1;

    /** Run ids travel inside routing keys, so they may not contain dots or wildcards. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Whole numbers are JSON integers: a string or a fraction where one belongs is refused, never coerced. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(
                    LogicalType.Integer,
                    integers -> integers.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build();

    private Contracts() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] toJson(Object message) {
        return MAPPER.writeValueAsBytes(message);
    }

    public static InstallMessage readInstall(byte[] json) {
        return read(json, InstallMessage.class);
    }

    public static CancelNotice readCancel(byte[] json) {
        return read(json, CancelNotice.class);
    }

    public static AttemptEvent readEvent(byte[] json) {
        return read(json, AttemptEvent.class);
    }

    /**
     * The events one message carries: a JSON array of them, as a worker publishes them (all of one routing key), or a
     * single event, as the coordinator publishes a dead letter. An array of more than {@link
     * AttemptEvent#MAX_PER_MESSAGE}, an empty one, or one with any event that does not read is refused whole, and the
     * message says which event.
     */
    public static List<AttemptEvent> readEvents(byte[] json) {
        if (!startsArray(json)) {
            return List.of(readEvent(json));
        }
        try {
            AttemptEvent[] events = MAPPER.readValue(json, AttemptEvent[].class);
            if (events.length > 0
                    && events.length <= AttemptEvent.MAX_PER_MESSAGE
                    && Arrays.stream(events).allMatch(e -> e != null && e.schemaVersion() == SCHEMA_VERSION)) {
                return List.of(events);
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // explained below
        }
        return readEventsExplained(json);
    }

    private static List<AttemptEvent> readEventsExplained(byte[] json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ContractException.Malformed("not JSON: " + e.getOriginalMessage(), e);
        }
        if (tree.isEmpty()) {
            throw new ContractException.Malformed("an empty array of events", null);
        }
        if (tree.size() > AttemptEvent.MAX_PER_MESSAGE) {
            throw new ContractException.Malformed(
                    tree.size() + " events in one message, more than " + AttemptEvent.MAX_PER_MESSAGE, null);
        }
        List<AttemptEvent> events = new ArrayList<>(tree.size());
        for (int i = 0; i < tree.size(); i++) {
            try {
                events.add(read(MAPPER.writeValueAsBytes(tree.get(i)), AttemptEvent.class));
            } catch (ContractException.Malformed e) {
                throw new ContractException.Malformed(
                        "event " + (i + 1) + " of " + tree.size() + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(events);
    }

    private static boolean startsArray(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '[';
            }
        }
        return false;
    }

    /**
     * A message of this schema is read in one pass; anything else (not JSON, another version, an invalid field) is read
     * again as a tree, to say which it is. The version is checked on the record read: a whole number, never coerced.
     */
    private static <T extends Versioned> T read(byte[] json, Class<T> type) {
        try {
            T message = MAPPER.readValue(json, type);
            if (message != null && message.schemaVersion() == SCHEMA_VERSION) {
                return message;
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // explained below
        }
        return readExplained(json, type);
    }

    private static <T> T readExplained(byte[] json, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ContractException.Malformed("not JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new ContractException.Malformed("not a JSON object", null);
        }
        JsonNode version = tree.get("schemaVersion");
        if (version == null || !version.isIntegralNumber()) {
            throw new ContractException.Malformed("schemaVersion is missing or not a number", null);
        }
        if (version.asInt() != SCHEMA_VERSION) {
            throw new ContractException.UnsupportedSchema(version.asInt());
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new ContractException.Malformed("invalid " + type.getSimpleName() + ": " + message, e);
        }
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidField(field, "is required");
        }
    }

    /** The registry's column widths: a longer value from a stranger is refused here, not by the database later. */
    static void requireAtMost(String value, String field, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidField(field, "is " + value.length() + " characters long, at most " + maxLength);
        }
    }

    static void requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new InvalidField("runId", "must match " + RUN_ID + ", was " + runId);
        }
    }

    public static boolean isValidRunId(String runId) {
        return runId != null && RUN_ID.matcher(runId).matches();
    }
}
