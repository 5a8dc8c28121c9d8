package io.lazarus.worker.ssh;

import java.util.Locale;

public enum HostKeyPolicy {
    /** Only keys already in the known_hosts file are accepted. */
    STRICT,
    /** Unknown hosts are recorded on first contact; a changed key is always rejected. */
    ACCEPT_NEW,
    /** No verification at all, with a warning on every connection. For labs only. */
    OFF;

    public static HostKeyPolicy parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "strict", "yes" -> STRICT;
            case "accept-new" -> ACCEPT_NEW;
            case "off", "no" -> OFF;
            // JSch silently disables checking for values it does not know; we refuse them instead.
            default ->
                throw new IllegalArgumentException(
                        "lazarus.ssh.host-key-policy must be strict, accept-new or off, was '" + value + "'");
        };
    }
}
