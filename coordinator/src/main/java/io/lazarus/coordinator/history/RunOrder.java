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

    /** A run that does not say: as listed while the registry knows no node that failed in passing lately. */
    public static final RunOrder DEFAULT = HISTORY;

    /** From what a user typed; {@link #DEFAULT} when nothing was. */
    public static RunOrder of(String value) {
        if (value == null) {
            return DEFAULT;
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
