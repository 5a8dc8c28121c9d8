package io.lazarus.coordinator.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ReleaseOrderTest {

    private static final List<String> INVENTORY = List.of("a", "b", "c", "d", "e", "f");
    private static final Map<String, Integer> FAILURES = Map.of("e", 1, "c", 3, "a", 2);

    @Test
    void historyOrderReleasesTheNodesThatFailedMostFirstAndTheRestAsListed() {
        assertThat(order(RunOrder.HISTORY, 0, FAILURES)).containsExactly("c", "a", "e", "b", "d", "f");
    }

    @Test
    void withoutHistoryTheInventoryOrderStands() {
        assertThat(order(RunOrder.HISTORY, 0, Map.of())).isEqualTo(INVENTORY);
        assertThat(order(RunOrder.INVENTORY, 0, FAILURES)).isEqualTo(INVENTORY);
    }

    @Test
    void aCanaryIsAlwaysTheInventorysFirstNodes() {
        assertThat(order(RunOrder.HISTORY, 2, FAILURES)).containsExactly("a", "b", "c", "e", "d", "f");
        assertThat(order(RunOrder.RANDOM, 2, FAILURES))
                .startsWith("a", "b")
                .containsExactlyInAnyOrderElementsOf(INVENTORY);
        assertThat(order(RunOrder.HISTORY, 10, FAILURES)).isEqualTo(INVENTORY);
    }

    @Test
    void randomOrderShufflesEveryNodeOnce() {
        List<String> shuffled =
                ReleaseOrder.of(INVENTORY, Function.identity(), RunOrder.RANDOM, 0, Map.of(), new Random(7));

        assertThat(shuffled).containsExactlyInAnyOrderElementsOf(INVENTORY).isNotEqualTo(INVENTORY);
    }

    @Test
    void anOrderIsReadAsTyped() {
        assertThat(RunOrder.of(" History ")).isEqualTo(RunOrder.HISTORY);
        assertThat(RunOrder.of(null)).isEqualTo(RunOrder.HISTORY);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunOrder.of("fastest"))
                .hasMessageContaining("must be inventory, history or random, was 'fastest'");
    }

    private static List<String> order(RunOrder order, int canary, Map<String, Integer> failures) {
        return ReleaseOrder.of(INVENTORY, Function.identity(), order, canary, failures, new Random(1));
    }
}
