package io.lazarus.coordinator.service;

import io.lazarus.coordinator.report.RunReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The report each run followed here had as its follower finished it: what {@code run --wait} prints. A client following
 * the run through this service asks for it the moment the run ends, and gets it without the registry read again (at
 * 5000 nodes every node's row and result, about 0.3 s of the service). A few, for a minute: the registry's report is
 * the one that stays.
 */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
class FinishedReports {

    static final int KEPT = 4;
    static final Duration KEPT_FOR = Duration.ofMinutes(1);

    private final Clock clock;
    private final Map<String, Kept> reports = new LinkedHashMap<>();

    FinishedReports(Clock clock) {
        this.clock = clock;
    }

    synchronized void finished(RunReport report) {
        forgetExpired();
        reports.remove(report.runId());
        reports.put(report.runId(), new Kept(report, clock.instant().plus(KEPT_FOR)));
        while (reports.size() > KEPT) {
            reports.remove(reports.keySet().iterator().next());
        }
        notifyAll();
    }

    /**
     * Waits until a run followed here finishes, or at most {@code most}: a request waiting for a run's end looks at
     * the registry again at once instead of at its next look (a run another replica follows is seen at that look).
     */
    synchronized void awaitNextFinish(Duration most) throws InterruptedException {
        wait(Math.max(1, most.toMillis()));
    }

    /** The run's report as it finished here, within the last minute. */
    synchronized Optional<RunReport> of(String runId) {
        forgetExpired();
        return Optional.ofNullable(reports.get(runId)).map(Kept::report);
    }

    /** Lets the reports kept past their minute go: called as they are asked for, and by the service's periodic look. */
    synchronized void forgetExpired() {
        Instant now = clock.instant();
        reports.values().removeIf(kept -> kept.until().isBefore(now));
    }

    /** How many reports are kept now. */
    synchronized int kept() {
        return reports.size();
    }

    private record Kept(RunReport report, Instant until) {}
}
