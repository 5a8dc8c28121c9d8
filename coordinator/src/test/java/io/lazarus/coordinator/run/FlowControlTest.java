package io.lazarus.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.common.contract.InvalidField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowControlTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", textBlock = """
            0 | -    | -  | maxInFlight
            - | 101% | -  | maxFailures
            - | five | -  | maxFailures
            - | -    | 0  | canary
            """, delimiter = '|')
    void aBadValueNamesItsField(Integer maxInFlight, String maxFailures, Integer canary, String field) {
        assertThatThrownBy(() -> FlowControl.of(maxInFlight, maxFailures, canary))
                .isInstanceOfSatisfying(
                        InvalidField.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageStartingWith(field + " must be");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", textBlock = """
            3   | 3 | -
            5%  | - | 5
            """, delimiter = '|')
    void aFailureBudgetIsACountOrAPercentage(String maxFailures, Integer count, Integer percent) {
        FlowControl flow = FlowControl.of(null, maxFailures, null);

        assertThat(flow.maxFailures()).isEqualTo(count);
        assertThat(flow.maxFailuresPercent()).isEqualTo(percent);
    }
}
