package io.lazarus.worker.limit;

import io.lazarus.worker.ssh.HandshakeObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The worker's in-flight limit at work: the {@link StartGate} deliveries wait at, the {@link AdaptiveLimit} that moves
 * it every interval from the handshakes it hears of and the JVM's {@link Health}, and the metrics that show both.
 * Disabled, the gate's limit is the ceiling and never moves.
 *
 * <p>Enabled, it also bounds what the worker fetches: no more deliveries than it could ever start at once, the
 * ceiling held to the heap's room. The rest stay in the queue, for this worker's next places or another worker's, and
 * cost no heap while they wait. Those between the current limit and that bound wait at the gate, unstarted.
 */
public class InFlightLimit implements HandshakeObserver, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InFlightLimit.class);

    private final LimitProperties properties;
    private final int prefetch;
    private final AdaptiveLimit limit;
    private final StartGate gate;
    private final HealthProbe probe = new HealthProbe();
    private final Map<Reason, Counter> changes = new EnumMap<>(Reason.class);
    private final ScheduledExecutorService ticks;
    private volatile Health health = Health.UNKNOWN;

    public InFlightLimit(LimitProperties properties, int prefetch, MeterRegistry registry) {
        this.properties = properties;
        this.prefetch = prefetch;
        Clock clock = Clock.systemUTC();
        long held = heapHeld();
        long room = AdaptiveLimit.heapRoom(properties, Runtime.getRuntime().maxMemory(), held);
        this.limit = new AdaptiveLimit(properties, prefetch, clock, room);
        log.info(
                "in-flight limit starts at {} of at most {} (ceiling {}; the heap holds {} MiB, room for {} more"
                        + " nodes); fetching {} of prefetch {}",
                limit.limit(),
                limit.highest(),
                limit.ceiling(),
                held / (1024 * 1024),
                room,
                prefetch(),
                prefetch);
        this.gate = new StartGate(properties.enabled() ? limit.limit() : limit.ceiling(), clock::instant);
        Gauge.builder("lazarus.worker.limit", this, l -> l.current())
                .description("Nodes this worker starts at once at most: the adaptive in-flight limit")
                .register(registry);
        Gauge.builder("lazarus.worker.limit.running", gate, StartGate::running)
                .description("Nodes started under the limit and not yet settled")
                .register(registry);
        Gauge.builder("lazarus.worker.limit.waiting", gate, StartGate::waiting)
                .description("Deliveries held unstarted (and unacknowledged) until the limit lets them start")
                .register(registry);
        for (Reason reason : Reason.values()) {
            if (reason != Reason.INITIAL) {
                changes.put(
                        reason,
                        Counter.builder("lazarus.worker.limit.changes")
                                .description("Moves of the in-flight limit, by why it moved")
                                .tag("reason", reason.label())
                                .register(registry));
            }
        }
        if (properties.enabled()) {
            ticks = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("in-flight-limit").factory());
            long every = properties.interval().toNanos();
            ticks.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.NANOSECONDS);
        } else {
            ticks = null;
        }
    }

    /**
     * The heap the worker holds as it starts: its old generation, as the young one is mostly the start-up's garbage
     * (counting it made a worker with -Xmx256m start at half the nodes it could hold); all of it when the collector
     * has no generations.
     */
    private static long heapHeld() {
        return new HeapPools().oldInUse();
    }

    private void tick() {
        try {
            health = probe.read();
            AdaptiveLimit.Snapshot before = limit.snapshot();
            AdaptiveLimit.Snapshot after = limit.decide(health, gate.running(), gate.waiting());
            if (after.limit() != before.limit()) {
                pushLimit();
                changes.get(after.reason()).increment();
                if (after.reason() != Reason.HEADROOM) {
                    log.info(
                            "in-flight limit {} -> {} ({}; heap after GC {}, cpu {}, fds {}, handshake {} vs {},"
                                    + " first byte {} vs {})",
                            before.limit(),
                            after.limit(),
                            after.reason().label(),
                            share(health.heap()),
                            share(health.cpu()),
                            share(health.fds()),
                            after.lastLatency(),
                            after.baseline(),
                            after.lastFirstByte(),
                            after.firstByteBaseline());
                }
            }
        } catch (RuntimeException e) {
            log.warn("in-flight limit not reconsidered: {}", e.toString());
        }
    }

    /** Read and handed over under one lock: handshake threads and the tick never leave an older value behind. */
    private synchronized void pushLimit() {
        gate.limit(limit.limit());
    }

    private static String share(double value) {
        return value < 0 ? "?" : Math.round(value * 100) + "%";
    }

    @Override
    public void handshake(Duration latency, Duration firstByte) {
        if (properties.enabled()) {
            limit.latency(latency, firstByte);
        }
    }

    /** How many unacknowledged deliveries the worker subscribes for: the prefetch, held to the limit's highest. */
    public int prefetch() {
        return properties.enabled() ? Math.min(prefetch, limit.highest()) : prefetch;
    }

    /** Where the install consumer's deliveries wait for their start. */
    public StartGate gate() {
        return gate;
    }

    private int current() {
        return properties.enabled() ? limit.limit() : limit.ceiling();
    }

    /** What the status endpoint shows. */
    public Status status() {
        AdaptiveLimit.Snapshot now = limit.snapshot();
        Health last = health;
        return new Status(
                properties.enabled(),
                current(),
                properties.min(),
                properties.enabled() ? limit.highest() : limit.ceiling(),
                prefetch(),
                gate.running(),
                gate.waiting(),
                now.reason().label(),
                now.changedAt(),
                millis(now.lastLatency()),
                millis(now.baseline()),
                millis(now.lastFirstByte()),
                millis(now.firstByteBaseline()),
                last.heap(),
                last.cpu(),
                last.fds());
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    @Override
    public void destroy() {
        if (ticks != null) {
            ticks.shutdownNow();
        }
        probe.close();
    }

    /**
     * The limit as {@code /actuator/limit} shows it.
     *
     * @param prefetch    the deliveries the worker subscribes for: {@code lazarus.worker.prefetch}, held to {@code max}
     *                    while the limit is on
     * @param reason      why it last moved: {@code initial}, {@code headroom}, {@code latency}, {@code first-byte},
     *                    {@code heap},
     *                    {@code fds}
     * @param handshakeMs mean handshake latency of the last interval that had handshakes
     * @param baselineMs  the latency it is judged against
     * @param firstByteMs mean first-byte latency (connect to the node's SSH banner) of the last interval that had one
     * @param firstByteBaselineMs the first-byte latency it is judged against
     * @param heap        heap in use after the last collection, share of the maximum (-1 unknown)
     */
    public record Status(
            boolean enabled,
            int limit,
            int min,
            int max,
            int prefetch,
            int running,
            int waiting,
            String reason,
            Instant changedAt,
            Long handshakeMs,
            Long baselineMs,
            Long firstByteMs,
            Long firstByteBaselineMs,
            double heap,
            double cpu,
            double fds) {}
}
