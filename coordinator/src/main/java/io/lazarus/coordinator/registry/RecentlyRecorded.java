package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.OutputChunk;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events this process recorded last, so that a second copy of one is known without asking the database. A service
 * receives every event of a run it follows twice, on the run's queue and on its ingest queue; recording the second
 * copy found nothing new, but cost as much as the first (each insert tried, refused and rolled back). A copy is
 * recognised once and then forgotten: a third (a redelivery) goes to the database, where recording is idempotent. The
 * oldest are forgotten first beyond {@code capacity} (the copy went to another replica), so memory stays flat; a
 * capacity of 0 remembers nothing.
 */
final class RecentlyRecorded {

    private final Map<Copy, Boolean> events;

    RecentlyRecorded(int capacity) {
        this.events = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Copy, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The events that are not a copy of one recorded here; the copies are forgotten. */
    synchronized List<AttemptEvent> unseen(List<AttemptEvent> batch) {
        if (events.isEmpty()) {
            return batch;
        }
        return batch.stream()
                .filter(event -> events.remove(Copy.of(event)) == null)
                .toList();
    }

    /** These events are in the registry now (recorded, or found there). */
    synchronized void remember(List<AttemptEvent> recorded) {
        recorded.forEach(event -> events.put(Copy.of(event), Boolean.TRUE));
    }

    /**
     * What the registry tells one event from another by, and no more: an event may carry 2 MiB (a worker's login is
     * enough to send one), the fields kept here are bounded by the contract (attempt id 320 characters, execution id
     * 64, four chunks).
     */
    private record Copy(EventType type, String attemptId, String executionId, Instant at, List<Long> chunks) {

        static Copy of(AttemptEvent event) {
            return new Copy(
                    event.type(),
                    event.attemptId(),
                    event.executionId(),
                    event.at(),
                    event.output().stream().map(OutputChunk::seq).toList());
        }
    }
}
