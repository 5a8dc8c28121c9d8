package io.lazarus.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff connect = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), false);

    @Test
    void eachPauseDoublesTheOneBeforeUpToTheMax() {
        assertThat(IntStream.rangeClosed(1, 6).mapToObj(connect::pause))
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10));
        assertThat(connect.pause(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void withJitterAPauseIsDrawnFromZeroToItsCeiling() {
        Backoff jittered = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), true);

        LongSummaryStatistics third = IntStream.range(0, 2_000)
                .mapToObj(i -> jittered.pause(3))
                .mapToLong(Duration::toMillis)
                .summaryStatistics();

        assertThat(third.getMin()).isBetween(0L, 500L);
        assertThat(third.getMax()).isBetween(3_500L, 4_000L);
        assertThat(jittered.ceiling(3)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aDoublingBackoffHasNoCapOfItsOwnButStopsGrowingBeforeItOverflows() {
        Backoff resurrection = Backoff.doubling(Duration.ofSeconds(30));

        assertThat(resurrection.pause(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(resurrection.pause(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(resurrection.pause(Integer.MAX_VALUE))
                .isEqualTo(Duration.ofSeconds(30).multipliedBy(65_536));
        assertThat(Backoff.doubling(Duration.ofDays(3650)).pause(Integer.MAX_VALUE))
                .isPositive();
    }

    @Test
    void aNegativePauseOrARetryBeforeTheFirstIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(1), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> connect.pause(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
