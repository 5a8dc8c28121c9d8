package io.lazarus.coordinator.resurrection;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.registry.InMemoryRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Listing the quarantine through its port: what an operator sees, and that looking changes nothing. */
class QuarantineListTest {

    private final InMemoryParkedQueues queues = new InMemoryParkedQueues();
    private final Quarantine quarantine = new Quarantine(queues, InMemoryRegistry.create(), null);

    @Test
    void listingNamesEachParkedNodeWithItsReasonAndLeavesEveryMessageInPlace() {
        queues.park(
                Topology.QUARANTINE_QUEUE, parked(1, "20261121-113833-d2f423", "web-07", "resurrection limit reached"));
        queues.park(Topology.QUARANTINE_QUEUE, parked(2, "20261121-120000-aaaaaa", "db-02", "poison message"));

        List<Quarantine.Parked> listed = quarantine.list(m -> m.runId().equals("20261121-113833-d2f423"));

        assertThat(listed).singleElement().satisfies(p -> {
            assertThat(p.message().nodeId()).isEqualTo("web-07");
            assertThat(p.message().attempt()).isEqualTo(3);
            assertThat(p.message().deadLetter().reason()).isEqualTo("rejected");
            assertThat(p.reason()).isEqualTo("resurrection limit reached");
            assertThat(p.quarantinedAt()).isEqualTo("2026-11-21T12:00:00Z");
        });
        assertThat(queues.acknowledged()).isEmpty();
        assertThat(queues.queue(Topology.QUARANTINE_QUEUE))
                .extracting(ParkedMessage::tag)
                .containsExactly(1L, 2L);
    }

    private static ParkedMessage parked(long tag, String runId, String nodeId, String reason) {
        return new ParkedMessage(
                tag,
                runId + "/" + nodeId + "/3",
                "application/json",
                Map.of(
                        Topology.HEADER_RUN_ID,
                        runId,
                        Topology.HEADER_NODE_ID,
                        nodeId,
                        Topology.HEADER_ATTEMPT,
                        3,
                        Topology.HEADER_DEATH_REASON,
                        "rejected",
                        Topology.HEADER_QUARANTINE_REASON,
                        reason,
                        Topology.HEADER_QUARANTINED_AT,
                        "2026-11-21T12:00:00Z"),
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}
