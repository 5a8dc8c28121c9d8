package io.lazarus.coordinator.history;

import io.lazarus.common.contract.InvalidField;
import java.util.Locale;

/** The order in which a run releases its nodes ({@code --order}). */
public enum RunOrder {
    /** As the inventory lists them. */
    INVENTORY,
    /** Nodes that failed in passing lately first, so that their retries overlap the others' installs. */
    HISTORY,
    /** Shuffled. */
    RANDOM;

    /** From what a user typed; null for the default. */
    public static RunOrder of(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidField("order", "must be inventory, history or random, was '" + abbreviated(value) + "'");
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
