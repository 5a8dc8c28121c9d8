package io.lazarus.coordinator.run;

import io.lazarus.common.topology.Topology;

/**
 * Port: whether any worker listens on {@code lazarus.install}, so a run nobody can take says so in seconds rather than
 * at its deadline.
 */
public interface InstallConsumers {

    String NONE = "no worker is consuming " + Topology.INSTALL_QUEUE
            + ": queued nodes wait until one starts (java -jar lazarus-worker.jar) or the run's deadline passes";

    /** The consumers of the install queue, or -1 when the broker cannot tell (the queue is missing, or out of reach). */
    int count();

    /** {@link #NONE} when no worker listens, else null. */
    default String warning() {
        return count() == 0 ? NONE : null;
    }
}
