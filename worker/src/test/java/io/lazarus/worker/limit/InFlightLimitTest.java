package io.lazarus.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** What the worker subscribes for: never more deliveries than its limit could start, unless the limit is off. */
class InFlightLimitTest {

    private static LimitProperties properties(boolean enabled, Integer max, DataSize perNode) {
        return new LimitProperties(
                enabled,
                null,
                1,
                max,
                Duration.ofHours(1),
                2.0,
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                0.75,
                0.9,
                0.8,
                0.8,
                perNode);
    }

    private static InFlightLimit limit(LimitProperties properties, int prefetch) {
        InFlightLimit limit = new InFlightLimit(properties, prefetch, new SimpleMeterRegistry());
        limit.destroy();
        return limit;
    }

    @Test
    void fetchesNoMoreThanTheMostItStartsAtOnce() {
        InFlightLimit capped = limit(properties(true, 3, DataSize.ofKilobytes(140)), 5000);

        assertThat(capped.prefetch()).isEqualTo(3);
        assertThat(capped.status().max()).isEqualTo(3);
        assertThat(capped.status().prefetch()).isEqualTo(3);
    }

    @Test
    void fetchesNoMoreThanTheHeapCouldStart() {
        // a node costing a tenth of the heap: a handful fit below the threshold, whatever the test JVM's heap
        long tenth = Runtime.getRuntime().maxMemory() / 10;
        InFlightLimit heavy = limit(properties(true, null, DataSize.ofBytes(tenth)), 5000);

        assertThat(heavy.prefetch()).isBetween(1, 7).isEqualTo(heavy.status().max());
    }

    @Test
    void withTheLimitOffFetchesThePrefetch() {
        InFlightLimit off = limit(properties(false, 3, DataSize.ofKilobytes(140)), 5000);

        assertThat(off.prefetch()).isEqualTo(5000);
        assertThat(off.status().running()).isZero();
    }
}
