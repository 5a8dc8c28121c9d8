package io.lazarus.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.coordinator.report.LearnedStall;
import org.junit.jupiter.api.Test;

class StoredReportsTest {

    @Test
    void aStoredReportNamesTheStallTimeoutsItsRunRecordedAndNoneForARunFromBeforeLearning() {
        String learned = """
                {"deadline":"PT1H","history":{"order":"HISTORY","learnStall":null,
                 "learnedStall":[{"command":0,"timeoutMs":12000,"samples":40},{"command":2,"timeoutMs":10000,"samples":20}]}}""";

        assertThat(StoredReports.learnedStall(learned))
                .containsExactly(new LearnedStall(0, 12_000, 40), new LearnedStall(2, 10_000, 20));
        assertThat(StoredReports.learnedStall("{\"deadline\":\"PT1H\"}")).isEmpty();
    }
}
