package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The estimator on its own: RFC 6298's smoothing applied to each successful run's longest silence. */
class AdaptiveStallTest {

    private static final Duration CEILING = Duration.ofSeconds(90);

    @Test
    void theConfiguredTimeoutHoldsUntilEnoughRunsTaughtIt() {
        AdaptiveStall adaptive = new AdaptiveStall(new WatchdogProperties.AdaptiveStall(true, Duration.ZERO, 3));
        adaptive.learn("sha", 0, 100);
        adaptive.learn("sha", 0, 100);

        assertThat(adaptive.timeout("sha", 0, CEILING)).isEqualTo(new AdaptiveStall.StallTimeout(CEILING, false));
        adaptive.learn("sha", 0, 100);
        assertThat(adaptive.timeout("sha", 0, CEILING).learned()).isTrue();
    }

    @Test
    void theTimeoutIsTheSmoothedSilencePlusFourDeviations() {
        AdaptiveStall adaptive = new AdaptiveStall(new WatchdogProperties.AdaptiveStall(true, Duration.ZERO, 2));
        adaptive.learn("sha", 0, 100); // smoothed 100, deviation 50
        adaptive.learn("sha", 0, 200); // deviation 0.75*50 + 0.25*100 = 62.5; smoothed 0.875*100 + 0.125*200 = 112.5

        assertThat(adaptive.timeout("sha", 0, CEILING).value()).isEqualTo(Duration.ofMillis(363));
    }

    @Test
    void theTimeoutStaysBetweenTheFloorAndTheCeiling() {
        AdaptiveStall adaptive =
                new AdaptiveStall(new WatchdogProperties.AdaptiveStall(true, Duration.ofSeconds(10), 1));
        adaptive.learn("quiet", 0, 10);
        adaptive.learn("slow", 0, 600_000);

        assertThat(adaptive.timeout("quiet", 0, CEILING).value()).isEqualTo(Duration.ofSeconds(10));
        assertThat(adaptive.timeout("slow", 0, CEILING).value()).isEqualTo(CEILING);
        // a ceiling below the floor wins: the run's stall timeout is never exceeded
        assertThat(adaptive.timeout("quiet", 0, Duration.ofSeconds(2)).value()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void eachCommandOfEachScriptLearnsOnItsOwn() {
        AdaptiveStall adaptive = new AdaptiveStall(new WatchdogProperties.AdaptiveStall(true, Duration.ZERO, 1));
        adaptive.learn("sha-a", 0, 1000);

        assertThat(adaptive.timeout("sha-a", 1, CEILING).learned()).isFalse();
        assertThat(adaptive.timeout("sha-b", 0, CEILING).learned()).isFalse();
        assertThat(adaptive.timeout("sha-a", 0, CEILING).value()).isEqualTo(Duration.ofMillis(3000));
    }
}
