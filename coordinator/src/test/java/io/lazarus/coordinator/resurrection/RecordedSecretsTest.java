package io.lazarus.coordinator.resurrection;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.RunOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A resurrected or resumed attempt names the same secrets as the run's first ones: they come from its recorded options. */
class RecordedSecretsTest {

    @Test
    void theRunsSecretNamesAreReadBackFromItsRecordedOptions() {
        RunOptions options = new RunOptions(
                true,
                Duration.ofHours(1),
                Duration.ofMinutes(25),
                null,
                FlowControl.of(null, null, null),
                Duration.ofMinutes(1),
                Duration.ofSeconds(2),
                null,
                List.of("DB_PASSWORD", "API_TOKEN"));
        String recorded = Contracts.mapper().writeValueAsString(options);

        assertThat(recorded).doesNotContain("value");
        assertThat(DeadLetteredMessage.secrets(recorded)).containsExactly("DB_PASSWORD", "API_TOKEN");
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).secrets())
                .containsExactly("DB_PASSWORD", "API_TOKEN");
    }

    @Test
    void aRunRecordedBeforeSecretsHasNone() {
        String recorded = Contracts.mapper()
                .writeValueAsString(new RunOptions(
                        true,
                        Duration.ofHours(1),
                        Duration.ofMinutes(25),
                        null,
                        FlowControl.of(null, null, null),
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(2),
                        null,
                        null))
                .replace(",\"secrets\":[]", "");

        assertThat(recorded).doesNotContain("secrets");
        assertThat(DeadLetteredMessage.secrets(recorded)).isEmpty();
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).secrets())
                .isEmpty();
    }
}
