package io.lazarus.common.contract;

public enum EventType {
    /** A worker took the message and is about to connect. */
    STARTED,
    /** A piece of what the script printed, sent while it runs; the event carries the chunks. */
    OUTPUT,
    /** The attempt ended; the event carries its one outcome. */
    FINISHED,
    /** The broker dead-lettered the attempt's message; the event carries why. */
    DEAD_LETTERED
}
