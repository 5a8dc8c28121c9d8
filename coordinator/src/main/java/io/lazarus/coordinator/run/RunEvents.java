package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Port: where a run's attempt events come from (RabbitMQ: the run's own queue, {@code lazarus.run.<runId>}). */
public interface RunEvents {

    /** Makes sure the run's events are kept for whoever looks later, before the first of its messages is published. */
    void keep(String runId);

    /**
     * Attaches to the run's events (those its predecessor did not take are still there). Every batch of events is
     * handed to {@code record} before it is acknowledged, then buffered for {@link Stream#poll}: a follower that dies
     * in between finds the batch in the registry or gets it again.
     */
    Stream open(String runId, Consumer<List<AttemptEvent>> record);

    /** The events of one run as they arrive. */
    interface Stream extends AutoCloseable {

        /** Every event buffered now, waiting up to {@code wait} for the first; empty if none arrived. */
        List<AttemptEvent> poll(Duration wait) throws InterruptedException;

        /** Stops taking events; those not taken wait for the next follower. */
        @Override
        void close();
    }
}
