package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The coordinator's meters: runs by state and the nodes of running runs by state (read from the registry at each
 * scrape), messages published, events received, ghosts, and how long an event took from its worker to the registry.
 */
@Component
public class CoordinatorMetrics {

    private final MeterRegistry registry;
    private final Counter published;
    private final Counter ghosts;
    private final Timer ingestLag;

    CoordinatorMetrics(MeterRegistry registry, RegistryStore store) {
        this.registry = registry;
        for (RunState state : RunState.values()) {
            Gauge.builder("lazarus.coordinator.runs", () -> store.countRuns(state))
                    .tag("state", state.name())
                    .description("Runs in the registry by state")
                    .register(registry);
        }
        for (NodeState state : NodeState.values()) {
            Gauge.builder("lazarus.coordinator.nodes", () -> store.countNodesOfRunningRuns(state))
                    .tag("state", state.name())
                    .description("Nodes of running runs by state")
                    .register(registry);
        }
        this.published = Counter.builder("lazarus.coordinator.messages.published")
                .description("Install messages confirmed by the broker")
                .register(registry);
        this.ghosts = Counter.builder("lazarus.coordinator.ghosts")
                .description("Dispatched nodes reconciled as GHOST: no outcome will come")
                .register(registry);
        this.ingestLag = Timer.builder("lazarus.coordinator.event.ingest.lag")
                .description("From an event's time at its worker to its record in the registry")
                .publishPercentileHistogram()
                .register(registry);
    }

    void published(int messages) {
        published.increment(messages);
    }

    void received(AttemptEvent event) {
        if (event.result() != null) {
            registry.counter(
                            "lazarus.coordinator.events.received",
                            "outcome",
                            event.result().outcome().name())
                    .increment();
        }
    }

    /** An event reached the registry: how long it took from its worker. */
    public void ingested(AttemptEvent event) {
        Duration lag = Duration.between(event.at(), Instant.now());
        ingestLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void ghosts(int count) {
        ghosts.increment(count);
    }
}
