package io.lazarus.worker.install;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The attempts this worker has run, each remembered until its deadline: past it, a copy is refused for its deadline
 * anyway. Another worker does not know them; there a replay shows as a second execution in the registry instead.
 */
@Component
class ExecutedAttempts {

    enum Seen {
        NEW,
        RUNNING,
        FINISHED
    }

    private static final int PURGE_EVERY = 1024;

    private final Map<String, Entry> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger sincePurge = new AtomicInteger();
    private final Clock clock;

    ExecutedAttempts() {
        this(Clock.systemUTC());
    }

    ExecutedAttempts(Clock clock) {
        this.clock = clock;
    }

    private record Entry(Instant deadline, boolean finished) {}

    /** Claims an attempt for running; returns what this worker had seen of it before (NEW: claimed now). */
    Seen claim(String attemptId, Instant deadline) {
        if (sincePurge.incrementAndGet() >= PURGE_EVERY) {
            sincePurge.set(0);
            Instant now = clock.instant();
            attempts.values().removeIf(e -> e.deadline().isBefore(now));
        }
        Entry before = attempts.putIfAbsent(attemptId, new Entry(deadline, false));
        return before == null ? Seen.NEW : before.finished() ? Seen.FINISHED : Seen.RUNNING;
    }

    /** Its outcome is confirmed by the broker. */
    void finished(String attemptId) {
        attempts.computeIfPresent(attemptId, (id, e) -> new Entry(e.deadline(), true));
    }

    /** Given back to the queue unfinished: another delivery of it is no replay. */
    void forget(String attemptId) {
        attempts.remove(attemptId);
    }
}
