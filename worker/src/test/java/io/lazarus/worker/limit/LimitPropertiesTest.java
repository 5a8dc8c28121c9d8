package io.lazarus.worker.limit;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** A careless setting is refused at start with the property it names, not discovered by a worker out of heap. */
class LimitPropertiesTest {

    private static LimitProperties with(Integer max, DataSize perNode) {
        return with(max, perNode, Duration.ofSeconds(2));
    }

    private static LimitProperties with(Integer max, DataSize perNode, Duration firstByteAllowance) {
        return new LimitProperties(
                true,
                null,
                4,
                max,
                Duration.ofMillis(250),
                2.0,
                Duration.ofSeconds(5),
                firstByteAllowance,
                0.75,
                0.9,
                0.8,
                0.8,
                perNode);
    }

    @Test
    void refusesAHeapCostThatCannotBe() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(null, DataSize.ofBytes(0)))
                .withMessageContaining("lazarus.worker.limit.heap-per-node");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(null, null))
                .withMessageContaining("lazarus.worker.limit.heap-per-node");
    }

    @Test
    void refusesAFirstByteAllowanceThatCannotBe() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(null, DataSize.ofKilobytes(140), Duration.ofMillis(-1)))
                .withMessageContaining("lazarus.worker.limit.first-byte-allowance");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(null, DataSize.ofKilobytes(140), null))
                .withMessageContaining("lazarus.worker.limit.first-byte-allowance");
    }

    @Test
    void refusesACeilingBelowTheFloor() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> with(3, DataSize.ofKilobytes(140)))
                .withMessageContaining("lazarus.worker.limit.max");
    }
}
