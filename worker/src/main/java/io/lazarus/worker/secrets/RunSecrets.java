package io.lazarus.worker.secrets;

import java.util.Map;

/**
 * What one attempt gets from the worker's store: the values, to hand the script as environment variables, and the
 * masker that hides them (and the configured patterns) in whatever leaves the worker.
 */
public record RunSecrets(Map<String, String> values, Masker masker) {

    public RunSecrets {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    public static RunSecrets none(Masker masker) {
        return new RunSecrets(Map.of(), masker);
    }

    @Override
    public String toString() {
        return "RunSecrets" + values.keySet();
    }
}
