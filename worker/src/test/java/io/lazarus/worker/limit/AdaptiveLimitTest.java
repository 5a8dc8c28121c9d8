package io.lazarus.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AdaptiveLimitTest {

    private static final Health HEALTHY = new Health(0.2, 0.3, 0.01);
    private static final Duration FAST = Duration.ofMillis(100);
    private static final Duration SLOW = Duration.ofSeconds(3);
    private static final Duration FIRST_BYTE = Duration.ofMillis(5);

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));

    /**
     * initial 16, min 4, max 1000 (the prefetch), interval 500 ms, tolerance 2, allowances 1 s (handshake and first
     * byte), decrease 0.8.
     */
    private AdaptiveLimit limit(int prefetch) {
        return new AdaptiveLimit(properties(16), prefetch, clock);
    }

    private static LimitProperties properties(Integer initial) {
        return new LimitProperties(
                true,
                initial,
                4,
                null,
                Duration.ofMillis(500),
                2.0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                0.75,
                0.98,
                0.8,
                0.8,
                DataSize.ofKilobytes(100));
    }

    @Test
    void withoutAnInitialValueItStartsAtTheCeilingHeldToWhatTheHeapCanHold() {
        long mib = 1024 * 1024;
        // 0.75 x 768 MiB - 50 MiB in use leaves room for 5386 nodes of 100 KB
        long roomy = AdaptiveLimit.heapRoom(properties(null), 768 * mib, 50 * mib);
        // 0.75 x 128 MiB - 50 MiB: 471 nodes
        long small = AdaptiveLimit.heapRoom(properties(null), 128 * mib, 50 * mib);

        assertThat(roomy).isEqualTo(5386);
        assertThat(new AdaptiveLimit(properties(null), 4000, clock, roomy).limit())
                .isEqualTo(4000);
        assertThat(small).isEqualTo(471);
        assertThat(new AdaptiveLimit(properties(null), 1000, clock, small).limit())
                .isEqualTo(471);
        assertThat(new AdaptiveLimit(properties(null), 5000, clock, 0).limit())
                .as("never below the floor")
                .isEqualTo(4);
        assertThat(new AdaptiveLimit(properties(16), 5000, clock, roomy).limit())
                .as("an initial value set is taken as it is")
                .isEqualTo(16);
    }

    private AdaptiveLimit.Snapshot tick(AdaptiveLimit limit, Duration latency, Health health, int waiting) {
        return tick(limit, latency, FIRST_BYTE, health, waiting);
    }

    private AdaptiveLimit.Snapshot tick(
            AdaptiveLimit limit, Duration latency, Duration firstByte, Health health, int waiting) {
        clock.advance(Duration.ofMillis(500));
        if (latency != null) {
            limit.latency(latency, firstByte);
            limit.latency(latency, firstByte);
        }
        return limit.decide(health, limit.limit(), waiting);
    }

    @Test
    void doublesWhileHandshakesStayFastAndNodesWait() {
        AdaptiveLimit limit = limit(1000);

        assertThat(tick(limit, FAST, HEALTHY, 500).limit()).isEqualTo(32);
        AdaptiveLimit.Snapshot next = tick(limit, FAST, HEALTHY, 500);

        assertThat(next.limit()).isEqualTo(64);
        assertThat(next.reason()).isEqualTo(Reason.HEADROOM);
    }

    @Test
    void slowStartOnlyAddsOnceHeapOrLatencyIsHalfWayToItsThreshold() {
        AdaptiveLimit limit = limit(1000);

        assertThat(tick(limit, FAST, new Health(0.4, 0.3, 0.01), 500).limit())
                .as("heap after GC 40%, threshold 75%: + sqrt(16)")
                .isEqualTo(20);
        assertThat(tick(limit, Duration.ofMillis(600), HEALTHY, 500).limit())
                .as("handshakes 600 ms, allowance 1 s: + sqrt(20)")
                .isEqualTo(24);
        assertThat(tick(limit, FAST, HEALTHY, 500).limit())
                .as("far from both again")
                .isEqualTo(48);
    }

    @Test
    void neverGrowsPastTheNodesTheHeapCanStillHold() {
        AdaptiveLimit limit = limit(1000);
        // 128 MiB, 30% in use: 45% to the threshold is 57.6 MiB, room for 589 more nodes of 100 KiB than the 16 running
        Health small = new Health(0.3, 0.1, 0.01, 128L * 1024 * 1024);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(500));
            limit.latency(FAST, null);
            limit.decide(small, 16, 500);
        }
        assertThat(limit.limit()).isEqualTo(605);
    }

    @Test
    void neverRisesAboveWhatTheHeapCouldHoldAtStartHoweverEmptyItLooksSince() {
        // the heap after collection has not yet seen the nodes just started: it says 20% all along
        AdaptiveLimit fromTheCeiling = new AdaptiveLimit(properties(null), 5000, clock, 1783);
        AdaptiveLimit fromSixteen = new AdaptiveLimit(properties(16), 5000, clock, 1783);
        for (int i = 0; i < 20; i++) {
            tick(fromTheCeiling, FAST, HEALTHY, 3000);
            tick(fromSixteen, FAST, HEALTHY, 3000);
        }

        assertThat(fromTheCeiling.limit()).isEqualTo(1783);
        assertThat(fromTheCeiling.highest()).isEqualTo(1783);
        assertThat(fromTheCeiling.ceiling())
                .as("the prefetch, for a limit that is off")
                .isEqualTo(5000);
        assertThat(fromSixteen.limit()).isEqualTo(1783);
        assertThat(new AdaptiveLimit(properties(5000), 5000, clock, 1783).limit())
                .as("an initial value above it is held to it too")
                .isEqualTo(1783);
    }

    @Test
    void doesNotGrowWithoutDemandOrWithoutHandshakes() {
        AdaptiveLimit limit = limit(1000);

        clock.advance(Duration.ofMillis(500));
        limit.latency(FAST, null);
        assertThat(limit.decide(HEALTHY, 3, 0).limit())
                .as("3 running of 16, none waiting")
                .isEqualTo(16);
        assertThat(tick(limit, null, HEALTHY, 500).limit())
                .as("no handshake heard")
                .isEqualTo(16);
        assertThat(limit.snapshot().reason()).isEqualTo(Reason.INITIAL);
    }

    @Test
    void neverRisesAbovePrefetch() {
        AdaptiveLimit limit = limit(100);
        for (int i = 0; i < 20; i++) {
            tick(limit, FAST, HEALTHY, 500);
        }
        assertThat(limit.limit()).isEqualTo(100);
    }

    @Test
    void fallsWhenHandshakesGrowSlowerThanTheBaselineAllows() {
        AdaptiveLimit limit = limit(1000);
        tick(limit, FAST, HEALTHY, 500);
        tick(limit, FAST, HEALTHY, 500);

        AdaptiveLimit.Snapshot slow = tick(limit, SLOW, HEALTHY, 500);

        assertThat(slow.limit()).isEqualTo(51);
        assertThat(slow.reason()).isEqualTo(Reason.LATENCY);
        assertThat(slow.baseline()).as("drifted 1% of the way to the slow mean").isEqualTo(Duration.ofMillis(129));
    }

    @Test
    void fallsWhenNodesAnswerLaterThanTheirBaselineAllowsThoughHandshakesStayFast() {
        AdaptiveLimit limit = limit(1000);
        tick(limit, FAST, HEALTHY, 500);
        tick(limit, FAST, HEALTHY, 500);

        AdaptiveLimit.Snapshot late = tick(limit, FAST, SLOW, HEALTHY, 500);

        assertThat(late.limit()).isEqualTo(51);
        assertThat(late.reason()).isEqualTo(Reason.FIRST_BYTE);
        assertThat(late.reason().label()).isEqualTo("first-byte");
        assertThat(late.lastFirstByte()).isEqualTo(SLOW);
        assertThat(late.firstByteBaseline())
                .as("drifted 1% of the way to the late mean")
                .isEqualTo(Duration.ofNanos(34_950_000));
        assertThat(late.baseline()).as("the handshakes' own baseline").isEqualTo(FAST);
    }

    @Test
    void aFirstByteUnderItsAllowanceIsNeverGrowthAndAnUnmeasuredOneIsNoSignal() {
        AdaptiveLimit limit = limit(1000);
        tick(limit, FAST, Duration.ofMillis(1), HEALTHY, 500);

        assertThat(tick(limit, FAST, Duration.ofMillis(400), HEALTHY, 500).limit())
                .as("400-fold, but under the 1-s allowance and half of it: still doubling")
                .isEqualTo(64);
        assertThat(tick(limit, FAST, Duration.ofMillis(600), HEALTHY, 500).limit())
                .as("past half the allowance: + sqrt(64)")
                .isEqualTo(72);
        assertThat(tick(limit, FAST, null, HEALTHY, 500).reason()).isEqualTo(Reason.HEADROOM);
    }

    @Test
    void latencyUnderTheAllowanceIsNeverGrowth() {
        AdaptiveLimit limit = limit(1000);
        tick(limit, Duration.ofMillis(10), HEALTHY, 500);

        AdaptiveLimit.Snapshot tenfold = tick(limit, Duration.ofMillis(100), HEALTHY, 500);

        assertThat(tenfold.reason()).isEqualTo(Reason.HEADROOM);
        assertThat(tenfold.limit()).isEqualTo(64);
    }

    @Test
    void oneSlowWaveIsOneDecreaseThenGrowthIsAdditive() {
        AdaptiveLimit limit = limit(1000);
        tick(limit, FAST, HEALTHY, 500);
        tick(limit, FAST, HEALTHY, 500);
        assertThat(tick(limit, SLOW, HEALTHY, 500).limit()).isEqualTo(51);

        assertThat(tick(limit, SLOW, HEALTHY, 500).limit())
                .as("the handshakes begun before the decrease answer slowly too")
                .isEqualTo(51);
        clock.advance(SLOW);
        assertThat(tick(limit, SLOW, HEALTHY, 500).limit())
                .as("still slow after they could answer")
                .isEqualTo(40);
        clock.advance(SLOW);
        assertThat(tick(limit, FAST, HEALTHY, 500).limit())
                .as("after a decrease: + sqrt(40), not doubling")
                .isEqualTo(46);
    }

    @Test
    void fallsOnHeapAndFileDescriptorPressureAndSaysWhich() {
        assertPressure(new Health(0.9, 0.3, 0.01), Reason.HEAP, 26); // 32 x 0.75 / 0.9
        assertPressure(new Health(0.2, 0.3, 0.95), Reason.FDS, 25); // 32 x 0.8
    }

    @Test
    void aHeapPastItsThresholdLowersTheLimitToTheNodesItHoldsThereByNoMoreThanTheDecrease() {
        AdaptiveLimit limit = new AdaptiveLimit(properties(null), 1000, clock, 1000);

        assertThat(heapReadTwoSecondsLater(limit, 0.77, 1, 1000))
                .as("1000 running x 0.75 / 0.77")
                .isEqualTo(974);
        assertThat(heapReadTwoSecondsLater(limit, 0.7501, 2, 974))
                .as("a hair past it is still a decrease")
                .isEqualTo(973);
        assertThat(heapReadTwoSecondsLater(limit, 0.99, 3, 973))
                .as("973 x 0.75 / 0.99 = 737 would cut deeper than the decrease, 973 x 0.8")
                .isEqualTo(778);
        assertThat(heapReadTwoSecondsLater(limit, 0.9, 4, 100))
                .as("scaled from the nodes running, not from a limit they do not use: 778 x 0.8")
                .isEqualTo(622);
    }

    /** The limit after the heap read {@code heap} after collection number {@code collection}, 2 s on. */
    private int heapReadTwoSecondsLater(AdaptiveLimit limit, double heap, long collection, int running) {
        clock.advance(Duration.ofSeconds(2));
        return limit.decide(new Health(heap, 0.3, 0.01, 256L * 1024 * 1024, collection), running, 0)
                .limit();
    }

    @Test
    void aHeapReadingIsAnsweredOnceNotOncePerIntervalUntilTheNextCollection() {
        // a worker whose load fell: no collection comes to read the heap again, the last reading stays 64%
        AdaptiveLimit limit = new AdaptiveLimit(properties(null), 1000, clock, 1000);
        long mib = 1024 * 1024;
        Health stale = new Health(0.8, 0.1, 0.01, 256 * mib, 7);
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(2));
            limit.decide(stale, 10, 0);
        }
        assertThat(limit.limit()).as("one decrease for one reading").isEqualTo(800);

        clock.advance(Duration.ofSeconds(2));
        AdaptiveLimit.Snapshot next = limit.decide(new Health(0.8, 0.1, 0.01, 256 * mib, 8), 10, 0);

        assertThat(next.limit()).as("the next collection still finds it full").isEqualTo(640);
        assertThat(next.reason()).isEqualTo(Reason.HEAP);
    }

    @Test
    void aBusyCpuHoldsTheLimitWithoutEndingSlowStart() {
        AdaptiveLimit limit = limit(1000);

        assertThat(tick(limit, FAST, new Health(0.2, 0.99, 0.01), 500).limit()).isEqualTo(16);
        assertThat(tick(limit, FAST, HEALTHY, 500).limit()).as("still doubling").isEqualTo(32);
    }

    private void assertPressure(Health pressed, Reason expected, int lowered) {
        AdaptiveLimit limit = limit(1000);
        tick(limit, FAST, HEALTHY, 500);

        AdaptiveLimit.Snapshot after = tick(limit, FAST, pressed, 500);

        assertThat(after.limit()).isEqualTo(lowered);
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
        assertThat(tick(limit, FAST, Health.UNKNOWN, 500).limit()).isEqualTo(32);
    }
}
