package io.lazarus.coordinator.dispatch;

import java.time.Instant;

/** Port: tells every worker that a run is cancelled, so none runs more of its queued nodes. */
@FunctionalInterface
public interface CancelPublisher {

    /**
     * Returns once the broker has the notice; throws {@link BrokerUnavailableException} if it did not take it.
     *
     * @param runDeadline the run's deadline: how long a worker must remember the run
     */
    void announce(String runId, Instant cancelledAt, Instant runDeadline);
}
