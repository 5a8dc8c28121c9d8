package io.lazarus.common.contract;

/** How one attempt at one node ended. Exactly one per finished attempt. */
public enum Outcome {
    SUCCEEDED(false),
    /** A command exited non-zero. Resurrectable only when its output matches a transient pattern. */
    COMMAND_FAILED(false),
    /** Refused, unreachable, TCP or banner timeout, after the connect retries. */
    CONNECT_FAILED(true),
    AUTH_FAILED(false),
    HOST_KEY_REJECTED(false),
    /** No output for the stall timeout, after the stall retries. */
    STALLED(true),
    /** The deadline passed while output still flowed. */
    TIMED_OUT(true),
    /** The session dropped before an exit status arrived. */
    DISCONNECTED(true),
    /** Malformed or unverifiable message; never executed. */
    REJECTED(false),
    CANCELLED(false);

    private final boolean resurrectableByDefault;

    Outcome(boolean resurrectableByDefault) {
        this.resurrectableByDefault = resurrectableByDefault;
    }

    public boolean resurrectableByDefault() {
        return resurrectableByDefault;
    }

    public boolean succeeded() {
        return this == SUCCEEDED;
    }

    /** The word used in routing keys: {@code run.<runId>.<routingWord>}. */
    public String routingWord() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
