package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.InvalidField;
import org.junit.jupiter.api.Test;

class InputExceptionTest {

    @Test
    void aRefusedFieldIsNamedAsItsOption() {
        assertThat(InputException.of(new InvalidField("watchdog.stallRetries", "must be 0 or more, was -1")))
                .hasMessage("--stall-retries must be 0 or more, was -1");
        assertThat(InputException.of(new InvalidField("canary", "must be 1 or more, was 0")))
                .hasMessage("--canary must be 1 or more, was 0");
    }
}
