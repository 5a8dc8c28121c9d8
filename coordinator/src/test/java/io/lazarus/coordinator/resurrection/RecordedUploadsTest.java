package io.lazarus.coordinator.resurrection;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.FileUpload;
import io.lazarus.coordinator.run.FlowControl;
import io.lazarus.coordinator.run.RunOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A resurrected, resumed or rerun attempt copies the same files as the run's first ones: from its recorded options. */
class RecordedUploadsTest {

    private static RunOptions options(List<FileUpload> uploads) {
        return new RunOptions(
                true,
                Duration.ofHours(1),
                Duration.ofMinutes(25),
                null,
                FlowControl.of(null, null, null),
                Duration.ofMinutes(1),
                Duration.ofSeconds(2),
                null,
                List.of(),
                Map.of(),
                uploads,
                null);
    }

    @Test
    void theRunsUploadsAreReadBackFromItsRecordedOptions() {
        List<FileUpload> uploads = List.of(
                FileUpload.of("ab".repeat(32), 42, "/opt/app/tool", "0755"),
                FileUpload.of("cd".repeat(32), 7, "/etc/app.conf", null));
        String recorded = Contracts.mapper().writeValueAsString(options(uploads));

        assertThat(options(uploads).followed(false, Duration.ofSeconds(5)).uploads())
                .as("the options of a run not waited for")
                .isEqualTo(uploads);
        assertThat(DeadLetteredMessage.uploads(recorded)).isEqualTo(uploads);
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).uploads())
                .isEqualTo(uploads);
    }

    @Test
    void aRunRecordedBeforeUploadsHasNone() {
        String recorded =
                Contracts.mapper().writeValueAsString(options(List.of())).replace(",\"uploads\":[]", "");

        assertThat(recorded).doesNotContain("uploads");
        assertThat(DeadLetteredMessage.uploads(recorded)).isEmpty();
        assertThat(Contracts.mapper().readValue(recorded, RunOptions.class).uploads())
                .isEmpty();
    }
}
