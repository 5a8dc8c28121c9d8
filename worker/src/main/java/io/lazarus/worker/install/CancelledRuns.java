package io.lazarus.worker.install;

import io.lazarus.common.contract.CancelNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The runs this worker heard were cancelled, each remembered until its deadline: past it no install message of the run
 * is run anyway. Bounded: only signed notices get here, but a worker that would run for years keeps at most
 * {@link #MAX_RUNS}, dropping the one that ends first.
 *
 * <p>A worker hears only the notices sent while it listens; the follower of a cancelled run repeats its notice every
 * {@link CancelNotice#REPEAT} while nodes of it may be queued. So a worker that just started holds its first deliveries
 * until it has listened twice that long: by then it has heard of every run cancelled and still followed.
 */
@Component
class CancelledRuns {

    static final int MAX_RUNS = 10_000;
    /** Twice the repeat: a follower busy recording a large run's events may repeat a little late. */
    static final Duration CATCH_UP = CancelNotice.REPEAT.multipliedBy(2);
    /** A worker that cannot listen (no control exchange, no right to it) does not hold its deliveries longer. */
    static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final Map<String, Instant> runs = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Instant created;
    private volatile Instant listeningSince;
    private volatile boolean caughtUp;

    @Autowired
    CancelledRuns() {
        this(Clock.systemUTC());
    }

    CancelledRuns(Clock clock) {
        this.clock = clock;
        this.created = clock.instant();
    }

    /** Remembers a run as cancelled until {@code until}; returns whether this worker did not know it yet. */
    synchronized boolean cancel(String runId, Instant until) {
        Instant now = clock.instant();
        if (!until.isAfter(now)) {
            return false;
        }
        runs.values().removeIf(end -> !end.isAfter(now));
        if (!runs.containsKey(runId) && runs.size() >= MAX_RUNS) {
            runs.entrySet().stream()
                    .min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .ifPresent(first -> runs.remove(first.getKey()));
        }
        Instant known = runs.get(runId);
        if (known == null || until.isAfter(known)) {
            runs.put(runId, until);
        }
        return known == null;
    }

    boolean cancelled(String runId) {
        Instant until = runs.get(runId);
        return until != null && until.isAfter(clock.instant());
    }

    int size() {
        return runs.size();
    }

    /** The subscription to the notices is up (again). */
    void listening() {
        if (listeningSince == null) {
            listeningSince = clock.instant();
        }
    }

    /** Whether this worker has listened long enough to have heard of every cancelled run still followed. */
    boolean caughtUp() {
        if (caughtUp) {
            return true;
        }
        Instant now = clock.instant();
        Instant since = listeningSince;
        caughtUp = since != null && !now.isBefore(since.plus(CATCH_UP)) || !now.isBefore(created.plus(GIVE_UP));
        return caughtUp;
    }

    /** Blocks until {@link #caughtUp}: only the first deliveries of a worker that just started wait. */
    void awaitCaughtUp() throws InterruptedException {
        while (!caughtUp()) {
            Thread.sleep(50);
        }
    }
}
