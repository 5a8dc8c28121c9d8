package io.lazarus.common.contract;

/**
 * How a worker verified the host key a node presented, weakest last. An attempt that reconnected reports the weakest
 * check of its sessions. Events from workers older than this field carry none (null): unknown, never assumed verified.
 */
public enum HostKeyCheck {
    /** The key matched the worker's known_hosts ({@code strict}, or {@code accept-new} for a host it knew). */
    KNOWN,
    /** Trust on first use: the host was unknown, its key was accepted and recorded ({@code accept-new}). */
    NEW_RECORDED,
    /** Nothing was verified ({@code host-key-policy=off}): anyone on the path could have answered. */
    NOT_VERIFIED;

    /** The weaker of two checks; null counts as no check made yet. */
    public static HostKeyCheck weaker(HostKeyCheck a, HostKeyCheck b) {
        if (a == null) {
            return b;
        }
        return b == null || a.ordinal() >= b.ordinal() ? a : b;
    }

    /** Short words for people: the summary and the warning. */
    public String words() {
        return switch (this) {
            case KNOWN -> "known";
            case NEW_RECORDED -> "new, recorded on first use";
            case NOT_VERIFIED -> "NOT VERIFIED";
        };
    }
}
