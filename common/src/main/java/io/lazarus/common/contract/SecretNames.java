package io.lazarus.common.contract;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of the secrets a run asks for. A name is what the script sees as an environment variable, so it is an upper
 * case shell identifier; only names ever travel, the worker holds the values.
 */
public final class SecretNames {

    public static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    public static final int MAX_PER_RUN = 32;

    private SecretNames() {}

    /** The names, in order, each once; throws naming the first name that is not one. */
    public static List<String> validated(List<String> names) {
        if (names == null) {
            return List.of();
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("secret name "
                        + (name == null
                                ? "null"
                                : "'" + (name.length() > 70 ? name.substring(0, 70) + "..." : name) + "'")
                        + " must match " + NAME + " (an upper case environment variable name)");
            }
            if (ScriptVariables.reserved(name)) {
                throw new IllegalArgumentException(
                        "secret name '" + name + "' is reserved: LAZARUS_VAR_*,"
                                + " LAZARUS_FACT_*, LAZARUS_NODE_*, LAZARUS_RUN_ID and LAZARUS_ATTEMPT are the run's variables");
            }
            unique.add(name);
        }
        if (unique.size() > MAX_PER_RUN) {
            throw new IllegalArgumentException("at most " + MAX_PER_RUN + " secrets per run, got " + unique.size());
        }
        return List.copyOf(unique);
    }
}
