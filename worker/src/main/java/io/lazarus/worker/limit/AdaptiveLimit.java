package io.lazarus.worker.limit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The in-flight limit, learned by additive increase and multiplicative decrease from SSH handshake and first-byte
 * latency and the worker's health. Pure: the caller feeds latencies as they come and asks for a decision at each interval.
 *
 * <p>Up only when nodes are waiting for the limit (or all of it is used) and the interval's handshakes stayed near
 * the baseline: doubling until the first decrease (slow start) while heap, file descriptors and handshake latency are
 * under half their thresholds, otherwise by the square root of the limit; not at all while the worker's CPU is past its
 * threshold (a busy CPU is what a worker is for; when it is too busy, the handshakes say so). Down by
 * {@code decrease} when the file descriptors pass their threshold; to the nodes the heap holds at its threshold
 * (running x threshold / heap after collection, by no more than {@code decrease}) when the heap after collection
 * passes it (once per collection: a reading that has not changed since a decrease answered it only holds the limit); when the interval's
 * mean handshake latency exceeds both {@code latency-tolerance} x its baseline and the {@code latency-allowance}, or
 * when its mean first-byte latency (TCP connect to the node's first byte, its SSH banner: the network and the node,
 * before any of the worker's own cryptography) exceeds {@code latency-tolerance} x its baseline and the
 * {@code first-byte-allowance}. After a decrease no other follows until the handshakes begun since then could have
 * answered (the interval twice, or the last mean latency, whichever is longer), so one slow wave is one decrease.
 *
 * <p>Each latency's baseline is a {@link LatencySignal}'s.
 */
public final class AdaptiveLimit {

    /** The share of a threshold up to which slow start may still double the limit. */
    private static final double CAUTION = 0.5;

    private final LimitProperties properties;
    private final int ceiling;
    private final long heapCapacity;
    private final Clock clock;
    private double limit;
    private Reason reason = Reason.INITIAL;
    private Instant changedAt;
    private boolean slowStart = true;
    private Instant calmUntil = Instant.MIN;
    /** The collection whose heap reading the last heap decrease answered: the same reading is not news twice. */
    private long heapAnswered = Long.MIN_VALUE;

    private final LatencySignal handshakes = new LatencySignal();
    private final LatencySignal firstBytes = new LatencySignal();

    /** Starts at {@code initial}, or at the ceiling when none is set. */
    public AdaptiveLimit(LimitProperties properties, int prefetch, Clock clock) {
        this(properties, prefetch, clock, Long.MAX_VALUE);
    }

    /**
     * @param heapRoom the nodes the heap can hold at start, below its threshold. The limit never rises above it: the
     *                 heap after collection lags behind nodes just started, which have not yet allocated their
     *                 sessions, so a limit grown on it alone overshoots (a worker with 256 MiB at prefetch 5000 grew
     *                 from 1783 to 5000 in a second on a heap that still looked 20% full, and ran out of it). Without
     *                 an {@code initial}, the limit starts at the ceiling held to it: starting low and ramping up
     *                 delays the first wave for nothing on a worker that can hold it (fixed prefetch = N was 13 - 24%
     *                 faster than a ramp from 32 at 1000 nodes).
     */
    public AdaptiveLimit(LimitProperties properties, int prefetch, Clock clock, long heapRoom) {
        this.properties = properties;
        this.ceiling = properties.ceiling(prefetch);
        this.heapCapacity = Math.max(properties.min(), heapRoom);
        this.clock = clock;
        this.limit = properties.initial() != null ? Math.min(properties.initial(), highest()) : highest();
        this.changedAt = clock.instant();
    }

    /** The nodes a heap of {@code maxBytes} with {@code usedBytes} in use can still start below its threshold. */
    public static long heapRoom(LimitProperties properties, long maxBytes, long usedBytes) {
        double free = properties.heapThreshold() * maxBytes - usedBytes;
        return (long) Math.max(0, free / properties.heapPerNode().toBytes());
    }

    /**
     * One handshake's latencies.
     *
     * @param handshake connect to authenticated
     * @param firstByte connect to the node's first byte; null if not measured
     */
    public synchronized void latency(Duration handshake, Duration firstByte) {
        handshakes.add(handshake);
        if (firstByte != null) {
            firstBytes.add(firstByte);
        }
    }

    /**
     * The limit for the next interval.
     *
     * @param running nodes started and not yet settled
     * @param waiting deliveries held unstarted for the limit
     */
    public synchronized Snapshot decide(Health health, int running, int waiting) {
        Instant now = clock.instant();
        double mean = handshakes.close();
        double firstByte = firstBytes.close();
        Reason down = pressure(health, mean, firstByte);
        int before = limit();
        if (down != null && !now.isBefore(calmUntil)) {
            limit = Math.max(properties.min(), Math.floor(lowered(down, health, running)));
            slowStart = false;
            Duration settle = properties.interval().multipliedBy(2);
            if (!Double.isNaN(mean) && mean > settle.toNanos()) {
                settle = Duration.ofNanos((long) mean);
            }
            calmUntil = now.plus(settle);
            if (down == Reason.HEAP) {
                heapAnswered = health.collections();
            }
            moved(before, down, now);
        } else if (down == null
                && !Double.isNaN(mean)
                && (waiting > 0 || running >= before)
                && !(health.cpu() > properties.cpuThreshold())) {
            double wanted = slowStart && farFromLimits(health, mean, firstByte) ? limit * 2 : limit + Math.sqrt(limit);
            double most = Math.min(Math.min(ceiling, heapCapacity), heapRoom(health, running));
            limit = Math.max(limit, Math.min(wanted, most));
            moved(before, Reason.HEADROOM, now);
        }
        handshakes.learn(mean);
        firstBytes.learn(firstByte);
        return snapshot();
    }

    /**
     * A decrease: by {@code decrease}; for the heap, to the nodes it holds at its threshold (those running scaled by
     * threshold / reading), which is gentler when the reading is just past the threshold. The reading is a share of
     * the whole heap, so the step to it is measured rather than guessed: a multiplicative step from just past the
     * threshold (77% against 75%) took a 256 MiB worker from 1285 to 1028 sessions, whose heap then read 65%, the
     * limit climbed back, and so on eight times a run, every trough a second of sessions not started.
     */
    private double lowered(Reason why, Health health, int running) {
        double cut = limit * properties.decrease();
        if (why != Reason.HEAP) {
            return cut;
        }
        double held = Math.min(limit, running) * properties.heapThreshold() / health.heap();
        return Math.min(limit - 1, Math.max(cut, held));
    }

    /**
     * The nodes the heap can hold: those running, and as many more as {@code heap-per-node} fits below the heap
     * threshold. The heap after collection lags behind nodes just started, so growth is held to this rather than left
     * for the heap signal to undo.
     */
    private double heapRoom(Health health, int running) {
        if (health.heap() < 0 || health.maxHeapBytes() <= 0) {
            return Double.MAX_VALUE;
        }
        double free = (properties.heapThreshold() - health.heap()) * health.maxHeapBytes();
        return running + Math.max(0, free / properties.heapPerNode().toBytes());
    }

    /** Doubling is for when nothing is half-way to its threshold: past that, one doubling could overshoot. */
    private boolean farFromLimits(Health health, double mean, double firstByte) {
        return health.heap() < properties.heapThreshold() * CAUTION
                && health.fds() < properties.fdThreshold() * CAUTION
                && mean < properties.latencyAllowance().toNanos() * CAUTION
                && !(firstByte >= properties.firstByteAllowance().toNanos() * CAUTION);
    }

    private Reason pressure(Health health, double mean, double firstByte) {
        if (health.heap() > properties.heapThreshold()
                && (health.collections() < 0 || health.collections() != heapAnswered)) {
            return Reason.HEAP;
        }
        if (health.fds() > properties.fdThreshold()) {
            return Reason.FDS;
        }
        if (handshakes.grew(mean, properties.latencyTolerance(), properties.latencyAllowance())) {
            return Reason.LATENCY;
        }
        if (firstBytes.grew(firstByte, properties.latencyTolerance(), properties.firstByteAllowance())) {
            return Reason.FIRST_BYTE;
        }
        return null;
    }

    private void moved(int before, Reason why, Instant now) {
        if (limit() != before) {
            reason = why;
            changedAt = now;
        }
    }

    public synchronized int limit() {
        return (int) limit;
    }

    /** The prefetch, or the set maximum: every delivery's place when the limit is off. */
    public int ceiling() {
        return ceiling;
    }

    /** As high as the limit goes: the ceiling, held to what the heap could hold at start. */
    public int highest() {
        return (int) Math.min(ceiling, heapCapacity);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(
                limit(),
                reason,
                changedAt,
                handshakes.baseline(),
                handshakes.last(),
                firstBytes.baseline(),
                firstBytes.last());
    }

    /**
     * The limit and why it is what it is.
     *
     * @param baseline          the handshake latency the limit is judged against; null before the first handshake
     * @param lastLatency       the mean handshake latency of the last interval that had one
     * @param firstByteBaseline the first-byte latency it is judged against; null before the first measured
     * @param lastFirstByte     the mean first-byte latency of the last interval that had one
     */
    public record Snapshot(
            int limit,
            Reason reason,
            Instant changedAt,
            Duration baseline,
            Duration lastLatency,
            Duration firstByteBaseline,
            Duration lastFirstByte) {}
}
