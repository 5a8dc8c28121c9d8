package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptEvent;
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

    private final Map<AttemptEvent, Boolean> events;

    RecentlyRecorded(int capacity) {
        this.events = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<AttemptEvent, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The events that are not a copy of one recorded here; the copies are forgotten. */
    synchronized List<AttemptEvent> unseen(List<AttemptEvent> batch) {
        if (events.isEmpty()) {
            return batch;
        }
        return batch.stream().filter(event -> events.remove(event) == null).toList();
    }

    /** These events are in the registry now (recorded, or found there). */
    synchronized void remember(List<AttemptEvent> recorded) {
        recorded.forEach(event -> events.put(event, Boolean.TRUE));
    }
}
