package io.lazarus.coordinator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.coordinator.report.RunReport;
import io.lazarus.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A finished run's report is kept for the client following it: a few of them, for a minute, never more. */
class FinishedReportsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final FinishedReports reports = new FinishedReports(clock);

    @Test
    void aReportIsKeptForAMinuteAfterItsRunFinished() {
        RunReport report = report("run-1");
        reports.finished(report);

        clock.advance(FinishedReports.KEPT_FOR.minusSeconds(1));
        assertThat(reports.of("run-1")).containsSame(report);
        clock.advance(Duration.ofSeconds(2));
        reports.forgetExpired();
        assertThat(reports.kept()).isZero();
        assertThat(reports.of("run-1")).isEmpty();
        assertThat(reports.of("run-2")).isEmpty();
    }

    @Test
    void theOldestGoesWhenMoreRunsFinishThanAreKept() {
        for (int run = 1; run <= FinishedReports.KEPT + 1; run++) {
            reports.finished(report("run-" + run));
        }

        assertThat(reports.of("run-1")).isEmpty();
        for (int run = 2; run <= FinishedReports.KEPT + 1; run++) {
            assertThat(reports.of("run-" + run)).isPresent();
        }
    }

    @Test
    void aRunFinishedAgainAfterAResurrectionIsKeptAsItFinishedLast() {
        RunReport first = report("run-1");
        RunReport again = report("run-1");
        reports.finished(first);
        reports.finished(report("run-2"));
        reports.finished(again);
        for (int run = 3; run < FinishedReports.KEPT + 2; run++) {
            reports.finished(report("run-" + run));
        }

        assertThat(reports.of("run-1")).containsSame(again);
        assertThat(reports.of("run-2")).isEmpty();
    }

    @Test
    void aRequestWaitingForARunsEndWakesAsARunFinishesHere() throws Exception {
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                reports.awaitNextFinish(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !waiting.isDone());

        reports.finished(report("run-1"));

        waiting.get(30, TimeUnit.SECONDS);
    }

    private static RunReport report(String runId) {
        return RunReport.of(runId, "install.sh", "", Map.of(), Instant.EPOCH, Instant.EPOCH, 0, List.of());
    }
}
