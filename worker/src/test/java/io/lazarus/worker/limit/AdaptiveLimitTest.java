package io.lazarus.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {

    private static final Health HEALTHY = new Health(0.2, 0.3, 0.01);
    private static final Duration FAST = Duration.ofMillis(100);
    private static final Duration SLOW = Duration.ofSeconds(3);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));

    /** initial 16, min 4, max the prefetch, interval 500 ms, tolerance 2, allowance 1 s, decrease 0.8. */
    private AdaptiveLimit limit(int prefetch) {
        return new AdaptiveLimit(
                new LimitProperties(
                        true, 16, 4, null, Duration.ofMillis(500), 2.0, Duration.ofSeconds(1), 0.75, 0.98, 0.8, 0.8),
                prefetch,
                clock);
    }

    private static void handshakes(AdaptiveLimit limit, int n, Duration latency) {
        for (int i = 0; i < n; i++) {
            limit.latency(latency, true);
        }
    }

    private AdaptiveLimit.Snapshot tick(AdaptiveLimit limit, Health health) {
        clock.advance(Duration.ofMillis(500));
        return limit.decide(health, limit.limit(), 500);
    }

    /** Up to 64 by slow start, then one slow interval: 51, out of slow start. */
    private AdaptiveLimit afterOneDecrease() {
        AdaptiveLimit limit = limit(1000);
        handshakes(limit, 48, FAST);
        tick(limit, HEALTHY);
        handshakes(limit, 2, SLOW);
        assertThat(tick(limit, HEALTHY).limit()).isEqualTo(51);
        return limit;
    }

    @Test
    void eachFastHandshakeWhileNodesWaitRaisesTheLimitByOne() {
        AdaptiveLimit limit = limit(1000);

        handshakes(limit, 16, FAST);

        assertThat(limit.limit()).isEqualTo(32);
        assertThat(limit.snapshot().reason()).isEqualTo(Reason.HEADROOM);
        assertThat(tick(limit, HEALTHY).limit())
                .as("the interval adds nothing in slow start")
                .isEqualTo(32);
    }

    @Test
    void doesNotGrowWithoutDemandOrOnSlowHandshakes() {
        AdaptiveLimit limit = limit(1000);

        assertThat(limit.latency(FAST, false)).isFalse();
        assertThat(limit.latency(SLOW, true)).isFalse();

        assertThat(limit.limit()).isEqualTo(16);
        assertThat(limit.snapshot().reason()).isEqualTo(Reason.INITIAL);
    }

    @Test
    void neverRisesAbovePrefetch() {
        AdaptiveLimit limit = limit(100);
        handshakes(limit, 500, FAST);
        assertThat(limit.limit()).isEqualTo(100);
    }

    @Test
    void fallsWhenHandshakesGrowSlowerThanTheBaselineAllows() {
        AdaptiveLimit limit = limit(1000);
        handshakes(limit, 48, FAST);
        tick(limit, HEALTHY);
        handshakes(limit, 2, SLOW);

        AdaptiveLimit.Snapshot slow = tick(limit, HEALTHY);

        assertThat(slow.limit()).isEqualTo(51);
        assertThat(slow.reason()).isEqualTo(Reason.LATENCY);
        assertThat(slow.baseline()).as("drifted 1% of the way to the slow mean").isEqualTo(Duration.ofMillis(129));
    }

    @Test
    void latencyUnderTheAllowanceIsNeverGrowth() {
        AdaptiveLimit limit = limit(1000);
        handshakes(limit, 4, Duration.ofMillis(10));
        tick(limit, HEALTHY);
        handshakes(limit, 4, Duration.ofMillis(100));

        AdaptiveLimit.Snapshot tenfold = tick(limit, HEALTHY);

        assertThat(tenfold.reason()).isEqualTo(Reason.HEADROOM);
        assertThat(tenfold.limit()).isEqualTo(24);
    }

    @Test
    void oneSlowWaveIsOneDecreaseThenGrowthIsAdditive() {
        AdaptiveLimit limit = afterOneDecrease();

        handshakes(limit, 2, SLOW);
        assertThat(tick(limit, HEALTHY).limit())
                .as("the handshakes begun before the decrease answer slowly too")
                .isEqualTo(51);
        clock.advance(SLOW);
        handshakes(limit, 2, SLOW);
        assertThat(tick(limit, HEALTHY).limit())
                .as("still slow after they could answer")
                .isEqualTo(40);
        clock.advance(SLOW);
        handshakes(limit, 2, FAST);
        assertThat(limit.limit()).as("no more growth per handshake").isEqualTo(40);
        assertThat(tick(limit, HEALTHY).limit()).as("+ sqrt(40) per interval").isEqualTo(46);
    }

    @Test
    void fallsOnHeapCpuAndFileDescriptorPressureAndSaysWhich() {
        assertPressure(new Health(0.9, 0.3, 0.01), Reason.HEAP);
        assertPressure(new Health(0.2, 0.99, 0.01), Reason.CPU);
        assertPressure(new Health(0.2, 0.3, 0.95), Reason.FDS);
    }

    private void assertPressure(Health pressed, Reason expected) {
        AdaptiveLimit limit = limit(1000);
        handshakes(limit, 16, FAST);

        AdaptiveLimit.Snapshot after = tick(limit, pressed);

        assertThat(after.limit()).isEqualTo(25);
        assertThat(after.reason()).isEqualTo(expected);
        assertThat(after.changedAt()).isEqualTo(clock.instant());
    }

    @Test
    void neverFallsBelowTheFloor() {
        AdaptiveLimit limit = limit(1000);
        Health full = new Health(0.95, 0.3, 0.01);
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(2));
            limit.decide(full, 0, 500);
        }
        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void unknownHealthIsNoPressure() {
        AdaptiveLimit limit = limit(1000);
        handshakes(limit, 4, FAST);
        assertThat(tick(limit, Health.UNKNOWN).limit()).isEqualTo(20);
    }
}
