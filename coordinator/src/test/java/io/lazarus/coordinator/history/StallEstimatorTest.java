package io.lazarus.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StallEstimatorTest {

    private static final long CEILING = 90_000;

    private final StallEstimator estimator = new StallEstimator(new HistoryProperties.LearnedStall(
            true, 20, 200, Duration.ofDays(30), 0.99, 2.0, Duration.ofSeconds(1), Duration.ofSeconds(90)));

    @Test
    void nothingIsLearnedBeforeEnoughSuccessfulRuns() {
        assertThat(estimator.estimate(samples(19, 2000), CEILING)).isEmpty();
        assertThat(estimator.estimate(samples(20, 2000), CEILING)).hasValue(4000);
    }

    @Test
    void theTimeoutClearsNearlyEverySilenceSeenWithItsMargin() {
        List<Long> silences = new ArrayList<>(samples(99, 1000));
        silences.add(3000L);
        Collections.shuffle(silences);

        // the 99th percentile of 100 samples is the 99th smallest: one outlier is ignored, two are not
        assertThat(estimator.estimate(silences, CEILING)).hasValue(2000);
        silences.add(3000L);
        assertThat(estimator.estimate(silences, CEILING)).hasValue(6000);
    }

    @Test
    void theTimeoutStaysBetweenTheFloorAndTheCeiling() {
        assertThat(estimator.estimate(samples(30, 10), CEILING)).as("floor").hasValue(1000);
        assertThat(estimator.estimate(samples(30, 60_000), CEILING))
                .as("ceiling")
                .hasValue(CEILING);
        assertThat(estimator.estimate(samples(30, 60_000), 30_000))
                .as("a run's stall timeout is the ceiling")
                .hasValue(30_000);
        assertThat(estimator.estimate(samples(30, 10), 500))
                .as("a ceiling below the floor wins")
                .isEqualTo(OptionalLong.of(500));
    }

    private static List<Long> samples(int count, long silenceMs) {
        return LongStream.generate(() -> silenceMs).limit(count).boxed().toList();
    }
}
