package io.lazarus.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the registry remembers of the events it recorded: enough to know a copy, never the event itself. */
class RecentlyRecordedTest {

    private final InstallMessage released = InstallMessage.firstAttempt(
            "run-r",
            new NodeTarget("web-01", "10.0.0.5", 22, "deploy"),
            InstallScript.of("install.sh", List.of("true")),
            null,
            Instant.parse("2026-12-03T10:00:00Z"));

    @Test
    void aCopyIsKnownOnceAndAnotherChunkIsNot() {
        RecentlyRecorded recent = new RecentlyRecorded(10);
        AttemptEvent first = output(0, "x");
        recent.remember(List.of(first));

        AttemptEvent copy = Contracts.readEvent(Contracts.toJson(first));
        assertThat(recent.unseen(List.of(copy, output(1, "x")))).containsExactly(output(1, "x"));
        assertThat(recent.unseen(List.of(copy))).containsExactly(copy);
    }

    @Test
    void theOldestAreForgottenBeyondTheCapacity() {
        RecentlyRecorded recent = new RecentlyRecorded(2);
        recent.remember(List.of(output(0, "a"), output(1, "b"), output(2, "c")));

        assertThat(recent.unseen(List.of(output(0, "a"), output(1, "b"), output(2, "c"))))
                .containsExactly(output(0, "a"));
    }

    @Test
    void aLargeEventIsNotKeptAliveOnlyWhatTellsItsCopy() throws InterruptedException {
        RecentlyRecorded recent = new RecentlyRecorded(4096);
        AttemptEvent large = output(0, "y".repeat(OutputChunk.MAX_TEXT_CHARS));
        WeakReference<AttemptEvent> recorded = new WeakReference<>(large);
        recent.remember(List.of(large));
        large = null;

        for (int i = 0; i < 50 && recorded.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }

        assertThat(recorded.get()).as("the remembered event, collected").isNull();
        assertThat(recent.unseen(List.of(output(0, "y".repeat(OutputChunk.MAX_TEXT_CHARS)))))
                .as("its copy is still known")
                .isEmpty();
    }

    private AttemptEvent output(long seq, String text) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.OUTPUT,
                released.attemptId(),
                released.runId(),
                released.node().id(),
                released.attempt(),
                Instant.parse("2026-12-03T10:00:01Z"),
                "worker-a",
                false,
                null,
                null,
                "execution-1",
                List.of(new OutputChunk(OutputStreamName.STDOUT, seq, seq * 10, text)));
    }
}
