package io.lazarus.common.contract;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The variables a run gives its script ({@code --var KEY=VALUE}, {@code --vars-file}, the API's {@code vars}). They
 * are not secret: they travel in the signed install message and are shown in the report. The script sees each as
 * {@code LAZARUS_VAR_<KEY in upper case>}.
 */
public final class RunVariables {

    public static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** Keys and values together, in UTF-8: a run's variables are settings, not payloads. */
    public static final int MAX_TOTAL_BYTES = 64 * 1024;

    public static final String PREFIX = "LAZARUS_VAR_";

    private RunVariables() {}

    /**
     * The variables in key order; throws naming the first key at fault ({@code vars.KEY}), or {@code vars} for the
     * whole map.
     */
    public static SortedMap<String, String> validated(Map<String, String> vars) {
        if (vars == null || vars.isEmpty()) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        Map<String, String> byName = new HashMap<>();
        long bytes = 0;
        for (Map.Entry<String, String> entry : vars.entrySet()) {
            String key = entry.getKey();
            checkKey(key);
            checkValue(key, entry.getValue());
            String clash = byName.put(envName(key), key);
            if (clash != null) {
                throw new InvalidField(
                        field(key), "and vars." + clash + " are both " + envName(key) + " to the script: rename one");
            }
            bytes += key.getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
            sorted.put(key, entry.getValue());
        }
        if (bytes > MAX_TOTAL_BYTES) {
            throw new InvalidField(
                    "vars",
                    "take " + bytes + " bytes (keys and values), more than " + MAX_TOTAL_BYTES
                            + ": ship large data as a file the script fetches");
        }
        return Collections.unmodifiableSortedMap(sorted);
    }

    /** Throws unless {@code key} may name a variable. */
    public static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidField(
                    key == null ? "vars" : field(key),
                    (key == null ? "has a null key" : "is not a variable name") + ": a key must match " + KEY);
        }
    }

    /** Throws unless {@code value} can reach a script: a terminal would act on a control character. */
    public static void checkValue(String key, String value) {
        if (value == null) {
            throw new InvalidField(field(key), "has no value");
        }
        if (!ScriptVariables.deliverable(value)) {
            throw new InvalidField(field(key), "holds a control character other than newline or tab");
        }
    }

    /** What the script sees: {@code LAZARUS_VAR_} and the key in upper case. */
    public static String envName(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT);
    }

    private static String field(String key) {
        return "vars." + io.lazarus.common.trust.Printable.of(key, 70);
    }
}
