package io.lazarus.coordinator.report;

import static io.lazarus.coordinator.registry.CommandResults.command;
import static io.lazarus.coordinator.registry.CommandResults.withCommands;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Outcome;
import org.junit.jupiter.api.Test;

class ReportRehearsalTest {

    @Test
    void aRehearsalWritesBothReportsOfWhateverResultComesFirst() {
        // a failure in the rehearsal's thread would go unseen, and the first real report would pay in full
        assertThatCode(() -> ReportRehearsal.rehearse(withCommands(Outcome.SUCCEEDED, command(0, 0, 20))))
                .doesNotThrowAnyException();
        assertThatCode(() -> ReportRehearsal.rehearse(AttemptResult.without(Outcome.CONNECT_FAILED, "refused")))
                .doesNotThrowAnyException();
    }
}
