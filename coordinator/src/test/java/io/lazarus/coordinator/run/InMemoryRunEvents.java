package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.EventType;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.testkit.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The run's event queues in memory. A poll that finds nothing moves the test's clock by the wait instead of sleeping;
 * a batch is acknowledged (gone from its queue) only once {@code record} returned, and an event acknowledged before
 * the registry holds it is noted.
 */
final class InMemoryRunEvents implements RunEvents {

    private final TestClock clock;
    private final RegistryStore registry;
    private final List<AttemptEvent> acknowledgedUnrecorded = new ArrayList<>();
    private final Map<String, List<AttemptEvent>> queues = new LinkedHashMap<>();
    private final Set<String> kept = new HashSet<>();
    private final List<AttemptEvent> acknowledged = new ArrayList<>();

    InMemoryRunEvents(TestClock clock, RegistryStore registry) {
        this.clock = clock;
        this.registry = registry;
    }

    /** An event reaches the run's queue, as the registry exchange routes it. */
    synchronized void publish(AttemptEvent event) {
        queues.computeIfAbsent(event.runId(), id -> new ArrayList<>()).add(event);
    }

    synchronized List<AttemptEvent> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Finished events the follower took: outcomes it knows of. */
    synchronized long finishedTaken() {
        return acknowledged.stream().filter(e -> e.type() == EventType.FINISHED).count();
    }

    synchronized List<AttemptEvent> acknowledgedUnrecorded() {
        return List.copyOf(acknowledgedUnrecorded);
    }

    synchronized boolean kept(String runId) {
        return kept.contains(runId);
    }

    @Override
    public synchronized void keep(String runId) {
        kept.add(runId);
    }

    @Override
    public Stream open(String runId, Consumer<List<AttemptEvent>> record) {
        keep(runId);
        return new Stream() {
            @Override
            public List<AttemptEvent> poll(Duration wait) {
                List<AttemptEvent> batch;
                synchronized (InMemoryRunEvents.this) {
                    batch = List.copyOf(queues.getOrDefault(runId, List.of()));
                }
                if (batch.isEmpty()) {
                    clock.advance(wait);
                    return List.of();
                }
                record.accept(batch);
                batch.stream().filter(e -> !recorded(e)).forEach(acknowledgedUnrecorded::add);
                synchronized (InMemoryRunEvents.this) {
                    queues.get(runId).subList(0, batch.size()).clear();
                    acknowledged.addAll(batch);
                }
                return batch;
            }

            @Override
            public void close() {}
        };
    }

    private boolean recorded(AttemptEvent event) {
        return registry.attempts(event.runId(), event.nodeId()).stream()
                .map(AttemptRecord::attemptId)
                .anyMatch(event.attemptId()::equals);
    }
}
