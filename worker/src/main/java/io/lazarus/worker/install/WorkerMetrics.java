package io.lazarus.worker.install;

import io.lazarus.common.contract.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

@Component
class WorkerMetrics {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Counter noticesHeard;
    private final Counter noticesRefused;

    WorkerMetrics(MeterRegistry registry) {
        Gauge.builder("lazarus.worker.nodes.in.flight", inFlight, AtomicInteger::get)
                .description("Install messages taken and not yet acknowledged")
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(
                    outcome,
                    Counter.builder("lazarus.worker.outcomes")
                            .description("Finished attempts by outcome")
                            .tag("outcome", outcome.name())
                            .register(registry));
        }
        noticesHeard = notices(registry, "admitted");
        noticesRefused = notices(registry, "refused");
    }

    private static Counter notices(MeterRegistry registry, String verdict) {
        return Counter.builder("lazarus.worker.cancel.notices")
                .description("Cancel notices heard on lazarus.control: admitted, or refused as unsigned or forged")
                .tag("verdict", verdict)
                .register(registry);
    }

    void cancelNotice(boolean admitted) {
        (admitted ? noticesHeard : noticesRefused).increment();
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void released() {
        inFlight.decrementAndGet();
    }

    /** Install messages taken and not yet settled. */
    int inFlight() {
        return inFlight.get();
    }
}
