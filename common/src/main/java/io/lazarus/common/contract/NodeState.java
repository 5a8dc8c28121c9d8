package io.lazarus.common.contract;

/** Where one node stands in one run. A run is complete when no node is PENDING or RUNNING. */
public enum NodeState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Dead-lettered, waiting for resurrection. */
    DEAD_LETTERED,
    /** The resurrection limit was reached. */
    QUARANTINED,
    /** Dispatched, and no outcome arrived by the run's deadline. */
    GHOST,
    /** Never attempted. */
    CANCELLED;

    /** Where a node stands once an attempt finished with this result. */
    public static NodeState after(AttemptResult result) {
        if (result.resurrectable()) {
            return DEAD_LETTERED;
        }
        return switch (result.outcome()) {
            case SUCCEEDED -> SUCCEEDED;
            // a worker dropped it unstarted: its run was cancelled
            case CANCELLED -> CANCELLED;
            default -> FAILED;
        };
    }

    public boolean done() {
        return this != PENDING && this != RUNNING;
    }
}
