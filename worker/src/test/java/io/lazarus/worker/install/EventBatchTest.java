package io.lazarus.worker.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.worker.install.EventPublisher.Pending;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventBatchTest {

    private final InstallMessage install = InstallMessage.firstAttempt(
            "run-batch",
            new NodeTarget("web-01", "127.1.0.1", 22, "deploy"),
            InstallScript.of("install.sh", List.of("true")),
            null,
            Instant.now().plusSeconds(3600));

    @Test
    void aBatchIsAJsonArrayOfItsEventsInOrderThatTheCoordinatorReadsBack() {
        List<AttemptEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(output(i, "line " + i + "\n"));
        }
        EventBatch batch = new EventBatch(pending(events.get(0)));
        assertThat(batch.add(pending(events.get(1)))).isTrue();
        assertThat(batch.add(pending(events.get(2)))).isTrue();

        assertThat(Contracts.readEvents(batch.json())).containsExactlyElementsOf(events);
        assertThat(batch.id()).isEqualTo(install.attemptId() + "/OUTPUT/0+2");
        EventBatch alone = new EventBatch(pending(events.get(1)));
        assertThat(alone.id()).isEqualTo(install.attemptId() + "/OUTPUT/1");
        assertThat(alone.json())
                .as("one event goes alone, as an older coordinator reads it")
                .isEqualTo(Contracts.toJson(events.get(1)));
    }

    @Test
    void aBatchIsFullAtItsCountOrItsBytesAndTakesNothingMoreThen() {
        EventBatch byCount = new EventBatch(pending(output(0, "x")));
        int added = 1;
        while (byCount.add(pending(output(added, "x")))) {
            added++;
        }
        assertThat(added).isEqualTo(AttemptEvent.MAX_PER_MESSAGE);
        assertThat(Contracts.readEvents(byCount.json())).hasSize(AttemptEvent.MAX_PER_MESSAGE);

        String text = "y".repeat(60 * 1024);
        EventBatch byBytes = new EventBatch(pending(output(0, text)));
        int large = 1;
        while (byBytes.add(pending(output(large, text)))) {
            large++;
        }
        assertThat(byBytes.json().length).isLessThanOrEqualTo(EventBatch.MAX_BYTES);
        assertThat(byBytes.json().length + Contracts.toJson(output(large, text)).length + 1)
                .as("the next event would not have fitted")
                .isGreaterThan(EventBatch.MAX_BYTES);
        assertThat(Contracts.readEvents(byBytes.json())).hasSize(large);
    }

    private AttemptEvent output(int seq, String text) {
        return AttemptEvent.output(
                install, "worker-1", false, "x-1", List.of(new OutputChunk(OutputStreamName.STDOUT, seq, 0, text)));
    }

    private static Pending pending(AttemptEvent event) {
        return new Pending(event, new CompletableFuture<>());
    }
}
