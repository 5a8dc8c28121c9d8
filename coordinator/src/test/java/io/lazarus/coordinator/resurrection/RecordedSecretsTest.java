package io.lazarus.coordinator.resurrection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.RunState;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.RunOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A resurrected or resumed attempt names the same secrets and variables as the run's first ones: they come from its recorded options. */
class RecordedSecretsTest {

    @Test
    void theRunsSecretNamesAreReadBackFromItsRecordedOptions() {
        RunOptions options = options(List.of("DB_PASSWORD", "API_TOKEN"), null);
        String recorded = Contracts.mapper().writeValueAsString(options);

        assertThat(recorded).doesNotContain("value");
        assertThat(DeadLetteredMessage.secrets(recorded)).containsExactly("DB_PASSWORD", "API_TOKEN");
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).secrets())
                .containsExactly("DB_PASSWORD", "API_TOKEN");
    }

    @Test
    void theRunsVariablesAreReadBackFromItsRecordedOptionsForEveryLaterAttempt() {
        RunOptions options = options(null, Map.of("version", "10.1", "mode", "blue green"));
        String recorded = Contracts.mapper().writeValueAsString(options);

        assertThat(run(recorded).vars()).containsExactly(entry("mode", "blue green"), entry("version", "10.1"));
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).vars())
                .isEqualTo(options.vars());
    }

    private static RunRecord run(String options) {
        return new RunRecord(
                "run-1",
                Instant.EPOCH,
                Instant.EPOCH,
                RunState.RUNNING,
                "s",
                "0",
                List.of(),
                "",
                options,
                1,
                null,
                null);
    }

    @Test
    void aRunRecordedBeforeSecretsHasNone() {
        String recorded = Contracts.mapper()
                .writeValueAsString(options(null, null))
                .replace(",\"secrets\":[]", "")
                .replace(",\"vars\":{}", "");

        assertThat(recorded).doesNotContain("secrets").doesNotContain("vars");
        assertThat(DeadLetteredMessage.secrets(recorded)).isEmpty();
        assertThat(run(recorded).vars()).isEmpty();
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).secrets())
                .isEmpty();
    }

    private static RunOptions options(List<String> secrets, Map<String, String> vars) {
        return new RunOptions(
                true,
                Duration.ofHours(1),
                Duration.ofMinutes(25),
                null,
                FlowControl.of(null, null, null),
                Duration.ofMinutes(1),
                Duration.ofSeconds(2),
                null,
                secrets,
                vars,
                List.of(),
                null);
    }
}
