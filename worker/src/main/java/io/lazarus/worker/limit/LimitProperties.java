package io.lazarus.worker.limit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code lazarus.worker.limit.*}: how many of the deliveries a worker holds it starts at once.
 *
 * @param enabled           off: every delivery starts at once, prefetch is the only bound
 * @param initial           the limit at start-up, before anything is learned; by default the ceiling; either way held to
 *                          the nodes that the heap below its threshold can hold at {@code heap-per-node} each
 * @param min               the limit never falls below this
 * @param max               the limit never rises above this; by default {@code lazarus.worker.prefetch}
 * @param interval          how often the limit is reconsidered
 * @param latencyTolerance  a window whose mean handshake latency exceeds the baseline by this factor is latency growth
 * @param latencyAllowance  a mean handshake latency below this is never growth, however small the baseline: on a busy
 *                          worker handshakes queue for the CPU, which costs nothing until they near the auth timeout
 * @param firstByteAllowance a mean first-byte latency (TCP connect to the node's SSH banner) below this is never
 *                          growth; above it and {@code latency-tolerance} x its baseline, the limit falls: the network
 *                          or the nodes answer late, before the worker's own work has begun
 * @param heapThreshold     heap held after collection (the old generation as its own last collection left it), as a
 *                          share of the maximum heap, above which the limit falls
 * @param cpuThreshold      the worker's own CPU load (0..1, a share of all cores) above which the limit does not rise
 * @param fdThreshold       open file descriptors, as a share of the process's maximum, above which the limit falls
 * @param decrease          the factor a decrease multiplies the limit by
 * @param heapPerNode       what a started node costs in heap (a session's buffers, ciphers, output tails, its virtual
 *                          threads' stacks; measured 74.5 KiB live in the middle of an install with the serial
 *                          collector and compact headers, 79 KiB with G1): the limit never rises past the nodes
 *                          that the heap below its threshold can hold above what the worker held at start, nor past
 *                          those it can still hold after the last collection; and the worker fetches no more
 *                          deliveries than the first of these
 */
@ConfigurationProperties("lazarus.worker.limit")
public record LimitProperties(
        @DefaultValue("true") boolean enabled,
        Integer initial,
        @DefaultValue("4") int min,
        Integer max,
        @DefaultValue("250ms") Duration interval,
        @DefaultValue("2.0") double latencyTolerance,
        @DefaultValue("5s") Duration latencyAllowance,
        @DefaultValue("2s") Duration firstByteAllowance,
        @DefaultValue("0.75") double heapThreshold,
        @DefaultValue("0.9") double cpuThreshold,
        @DefaultValue("0.8") double fdThreshold,
        @DefaultValue("0.8") double decrease,
        @DefaultValue("88KB") DataSize heapPerNode) {

    public LimitProperties {
        if (min < 1) {
            throw new IllegalArgumentException("lazarus.worker.limit.min must be 1 or more, was " + min);
        }
        if (max != null && max < min) {
            throw new IllegalArgumentException("lazarus.worker.limit.max must not be below min (" + min + ")");
        }
        if (initial != null && initial < min) {
            throw new IllegalArgumentException("lazarus.worker.limit.initial must not be below min (" + min + ")");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("lazarus.worker.limit.interval must be positive");
        }
        if (latencyTolerance <= 1.0) {
            throw new IllegalArgumentException("lazarus.worker.limit.latency-tolerance must be above 1");
        }
        if (latencyAllowance == null || latencyAllowance.isNegative()) {
            throw new IllegalArgumentException("lazarus.worker.limit.latency-allowance must not be negative");
        }
        if (firstByteAllowance == null || firstByteAllowance.isNegative()) {
            throw new IllegalArgumentException("lazarus.worker.limit.first-byte-allowance must not be negative");
        }
        share("heap-threshold", heapThreshold);
        share("cpu-threshold", cpuThreshold);
        share("fd-threshold", fdThreshold);
        if (heapPerNode == null || heapPerNode.toBytes() < 1) {
            throw new IllegalArgumentException("lazarus.worker.limit.heap-per-node must be positive");
        }
        if (decrease <= 0 || decrease >= 1) {
            throw new IllegalArgumentException(
                    "lazarus.worker.limit.decrease must lie between 0 and 1, was " + decrease);
        }
    }

    private static void share(String name, double value) {
        if (value <= 0 || value > 1) {
            throw new IllegalArgumentException("lazarus.worker.limit." + name + " must lie in (0, 1], was " + value);
        }
    }

    /** The ceiling: {@code max}, or the prefetch when none is set, and never below the floor. */
    public int ceiling(int prefetch) {
        return Math.max(min, max != null ? max : prefetch);
    }
}
