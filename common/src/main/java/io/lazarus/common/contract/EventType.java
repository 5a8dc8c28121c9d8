package io.lazarus.common.contract;

public enum EventType {
    /** A worker took the message and is about to connect. */
    STARTED,
    /** The attempt ended; the event carries its one outcome. */
    FINISHED
}
