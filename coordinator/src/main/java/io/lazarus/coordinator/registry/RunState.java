package io.lazarus.coordinator.registry;

/** Where a run is: dispatched and followed, over, or stopped by an operator. */
public enum RunState {
    RUNNING,
    FINISHED,
    CANCELLED
}
