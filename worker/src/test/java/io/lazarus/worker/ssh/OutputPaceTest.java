package io.lazarus.worker.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class OutputPaceTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFewAttemptsFlushAtTheIntervalAndAThousandTogetherAtTheWorkersRate() {
        OutputPace pace = new OutputPace(OutputProperties.defaults());
        assertThat(pace.intervalNanos()).as("alone").isEqualTo(SECOND);

        enter(pace, 100);
        assertThat(pace.intervalNanos())
                .as("100 in flight at 100 flushes a second")
                .isEqualTo(SECOND);
        enter(pace, 900);
        assertThat(pace.intervalNanos()).as("1000 in flight").isEqualTo(10 * SECOND);

        for (int i = 0; i < 750; i++) {
            pace.leave();
        }
        assertThat(pace.running()).isEqualTo(250);
        assertThat(pace.intervalNanos()).isEqualTo(2_500_000_000L);
    }

    @Test
    void theRateIsAtLeastOneFlushASecond() {
        assertThatThrownBy(() -> new OutputProperties(DataSize.ofMegabytes(8), Duration.ofSeconds(1), 0))
                .hasMessageContaining("lazarus.worker.output.max-flushes-per-second");
    }

    private static void enter(OutputPace pace, int attempts) {
        for (int i = 0; i < attempts; i++) {
            pace.enter();
        }
    }
}
