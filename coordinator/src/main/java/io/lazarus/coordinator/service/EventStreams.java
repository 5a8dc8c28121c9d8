package io.lazarus.coordinator.service;

import java.util.concurrent.Semaphore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The {@code /events} streams and the requests waiting for a run's end open now, at most {@code
 * lazarus.service.max-event-streams} together: each holds one of the server's threads.
 */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
class EventStreams {

    private final int max;
    private final Semaphore open;

    EventStreams(ServiceLimits limits) {
        this.max = limits.maxEventStreams();
        this.open = new Semaphore(max);
    }

    /** Takes a place for one more stream, or says why there is none; the caller gives it back with {@link #close()}. */
    void open() {
        if (!open.tryAcquire()) {
            throw new TooManyStreams("already " + max + " event streams are open, the most the service serves at once"
                    + " (lazarus.service.max-event-streams); try again later, or poll GET /api/runs/{run}");
        }
    }

    /** Takes a place if one is free: a request waiting for a run's end answers at once without one. */
    boolean tryOpen() {
        return open.tryAcquire();
    }

    void close() {
        open.release();
    }

    /** A stream over the cap: 429. */
    static final class TooManyStreams extends RuntimeException {

        TooManyStreams(String detail) {
            super(detail, null, false, false);
        }
    }
}
