package io.lazarus.common.contract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a script gets from its install message: the run's variables ({@code LAZARUS_VAR_<KEY>}), the
 * node's facts ({@code LAZARUS_FACT_<KEY>}), where it was reached ({@code LAZARUS_NODE_ID}, {@code _ADDRESS},
 * {@code _PORT}, {@code _USER}) and which attempt this is ({@code LAZARUS_RUN_ID}, {@code LAZARUS_ATTEMPT}).
 *
 * @param values  name to value, in the order above
 * @param leftOut facts that could not be given, each with why (for the worker's log)
 */
public record ScriptVariables(Map<String, String> values, List<String> leftOut) {

    public static final String FACT_PREFIX = "LAZARUS_FACT_";
    public static final String NODE_PREFIX = "LAZARUS_NODE_";
    public static final String RUN_ID = "LAZARUS_RUN_ID";
    public static final String ATTEMPT = "LAZARUS_ATTEMPT";

    private static final Pattern NOT_IN_NAME = Pattern.compile("[^A-Za-z0-9_]");

    public ScriptVariables {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        leftOut = List.copyOf(leftOut);
    }

    public static ScriptVariables of(InstallMessage message) {
        Map<String, String> values = new LinkedHashMap<>();
        message.vars().forEach((key, value) -> values.put(RunVariables.envName(key), value));
        List<String> leftOut = new ArrayList<>();
        facts(message.node().facts(), values, leftOut);
        NodeTarget node = message.node();
        put(values, leftOut, NODE_PREFIX + "ID", node.id());
        put(values, leftOut, NODE_PREFIX + "ADDRESS", node.host());
        values.put(NODE_PREFIX + "PORT", Integer.toString(node.port()));
        put(values, leftOut, NODE_PREFIX + "USER", node.user());
        values.put(RUN_ID, message.runId());
        values.put(ATTEMPT, Integer.toString(message.attempt()));
        return new ScriptVariables(values, leftOut);
    }

    /**
     * {@code LAZARUS_FACT_} and the key in upper case, with every character outside {@code A-Z 0-9 _} as {@code _}
     * ({@code availability-zone} is {@code LAZARUS_FACT_AVAILABILITY_ZONE}).
     */
    public static String factName(String key) {
        return FACT_PREFIX + NOT_IN_NAME.matcher(key).replaceAll("_").toUpperCase(Locale.ROOT);
    }

    /** Whether a script can be given this value: a terminal would act on a control character. */
    public static boolean deliverable(String value) {
        return value.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t');
    }

    /**
     * Whether a secret of this name would shadow one of these variables: secrets may not take their names.
     */
    public static boolean reserved(String name) {
        return name.startsWith(RunVariables.PREFIX)
                || name.startsWith(FACT_PREFIX)
                || name.startsWith(NODE_PREFIX)
                || name.equals(RUN_ID)
                || name.equals(ATTEMPT);
    }

    /**
     * A fact whose key is already a name comes before one that had to be mapped, then in key order; a fact whose name
     * an earlier one took is left out, so {@code zone} wins over {@code Zone} and {@code a_b} over {@code a-b}.
     */
    private static void facts(Map<String, String> facts, Map<String, String> values, List<String> leftOut) {
        Map<String, String> takenBy = new LinkedHashMap<>();
        facts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, String>, Boolean>comparing(
                                e -> !RunVariables.KEY.matcher(e.getKey()).matches())
                        .thenComparing(Map.Entry::getKey))
                .forEach(fact -> {
                    String name = factName(fact.getKey());
                    String earlier = takenBy.putIfAbsent(name, fact.getKey());
                    if (earlier != null) {
                        leftOut.add(
                                "fact " + quoted(fact.getKey()) + ": " + name + " is already fact " + quoted(earlier));
                    } else {
                        put(values, leftOut, name, fact.getValue());
                    }
                });
    }

    private static void put(Map<String, String> values, List<String> leftOut, String name, String value) {
        if (deliverable(value)) {
            values.put(name, value);
        } else {
            leftOut.add(name + ": its value holds a control character other than newline or tab");
        }
    }

    private static String quoted(String key) {
        return "'" + io.lazarus.common.trust.Printable.of(key, 70) + "'";
    }
}
