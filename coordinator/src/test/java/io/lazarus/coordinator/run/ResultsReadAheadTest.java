package io.lazarus.coordinator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.testkit.TestClock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResultsReadAheadTest {

    private static final Instant DEADLINE = Instant.parse("2026-12-02T12:00:00Z");

    private final InstallScript script = InstallScript.of("install.sh", List.of("true"));
    private final List<NodeTarget> nodes = IntStream.range(0, 1000)
            .mapToObj(i -> new NodeTarget("node-" + i, "10.1." + (i / 250) + "." + (i % 250 + 1), 22, "deploy"))
            .toList();
    private final List<InstallMessage> messages = nodes.stream()
            .map(n -> InstallMessage.firstAttempt("run-1", n, script, null, DEADLINE))
            .toList();
    private final RunTracker tracker = new RunTracker("run-1", nodes, new TestClock(DEADLINE.minusSeconds(600)));
    /** Each read the registry was asked for, with the attempt ids asked. */
    private final List<Collection<String>> reads = new CopyOnWriteArrayList<>();

    private final Function<Collection<String>, Map<String, AttemptResult>> registry = ids -> {
        reads.add(List.copyOf(ids));
        return ids.stream().collect(Collectors.toMap(id -> id, id -> AttemptResult.without(Outcome.SUCCEEDED, id)));
    };

    @Test
    void theResultsAreReadInRoundsFromTheRunsLastQuarterAndTheReportReadsOnlyWhatFinishedSinceTheLast() {
        ResultsReadAhead ahead = new ResultsReadAhead(registry);
        finish(0, 749);
        ahead.maybeStart(tracker);
        assertThat(reads)
                .as("251 of 1000 nodes still to come: more than a quarter")
                .isEmpty();

        finish(749, 750);
        ahead.maybeStart(tracker);
        ahead.awaitRound();
        finish(750, 900);
        ahead.maybeStart(tracker);
        ahead.maybeStart(tracker);
        finish(900, 1000);
        Map<String, AttemptResult> results = ahead.results(tracker.lastAttemptIds());

        assertThat(reads).hasSize(3);
        assertThat(reads.get(0))
                .as("the first round: the nodes done by the last quarter")
                .hasSize(750)
                .contains(messages.get(0).attemptId(), messages.get(749).attemptId());
        assertThat(reads.get(1))
                .as("the next round: those done since, once")
                .hasSize(150)
                .contains(messages.get(750).attemptId(), messages.get(899).attemptId());
        assertThat(reads.get(2))
                .as("at the end, only the nodes done since the last round")
                .hasSize(100)
                .contains(messages.get(900).attemptId(), messages.get(999).attemptId())
                .doesNotContain(messages.get(899).attemptId());
        assertThat(results).hasSize(1000);
        assertThat(results.get(messages.get(5).attemptId()).reason())
                .isEqualTo(messages.get(5).attemptId());
    }

    @Test
    void noRoundStartsWhileOneIsUnderWay() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        ResultsReadAhead ahead = new ResultsReadAhead(ids -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return registry.apply(ids);
        });
        finish(0, 800);
        ahead.maybeStart(tracker);
        finish(800, 900);
        ahead.maybeStart(tracker);
        release.countDown();
        ahead.awaitRound();

        assertThat(reads).singleElement().satisfies(ids -> assertThat(ids).hasSize(800));
        assertThat(ahead.results(tracker.lastAttemptIds())).hasSize(900);
        assertThat(reads.getLast())
                .as("the 100 done during the round, at the end")
                .hasSize(100);
    }

    @Test
    void aNodeThatCameBackAfterTheReadIsReadByItsNewAttempt() {
        ResultsReadAhead ahead = new ResultsReadAhead(registry);
        InstallMessage failed = messages.get(7);
        finish(0, 7);
        tracker.apply(AttemptEvent.finished(
                failed, "worker-a", false, AttemptResult.without(Outcome.CONNECT_FAILED, "connection refused")));
        finish(8, 1000);
        ahead.maybeStart(tracker);
        tracker.resurrected("node-7", 2, 1);
        tracker.apply(AttemptEvent.finished(
                "attempt-2-of-node-7",
                "run-1",
                "node-7",
                2,
                "worker-b",
                false,
                AttemptResult.without(Outcome.SUCCEEDED, "")));

        Map<String, AttemptResult> results = ahead.results(tracker.lastAttemptIds());

        assertThat(reads.getLast()).containsExactly("attempt-2-of-node-7");
        assertThat(results).containsKey("attempt-2-of-node-7").doesNotContainKey(failed.attemptId());
    }

    @Test
    void aSmallRunReadsItsResultsAtTheEnd() {
        RunTracker small = new RunTracker("run-1", nodes.subList(0, 499), new TestClock(DEADLINE.minusSeconds(600)));
        messages.subList(0, 499).forEach(m -> small.apply(finished(m)));
        ResultsReadAhead ahead = new ResultsReadAhead(registry);
        ahead.maybeStart(small);

        assertThat(reads).isEmpty();
        assertThat(ahead.results(small.lastAttemptIds())).hasSize(499);
        assertThat(reads).singleElement().satisfies(ids -> assertThat(ids).hasSize(499));
    }

    @Test
    void aReadAheadThatFailsLeavesTheWholeReadToTheEnd() {
        Function<Collection<String>, Map<String, AttemptResult>> failingOnce = ids -> {
            if (reads.isEmpty()) {
                reads.add(List.copyOf(ids));
                throw new IllegalStateException("the registry went away for a moment");
            }
            return registry.apply(ids);
        };
        ResultsReadAhead ahead = new ResultsReadAhead(failingOnce);
        finish(0, 1000);
        ahead.maybeStart(tracker);

        assertThat(ahead.results(tracker.lastAttemptIds())).hasSize(1000);
        assertThat(reads.getLast()).hasSize(1000);
    }

    private void finish(int from, int to) {
        messages.subList(from, to).forEach(m -> tracker.apply(finished(m)));
    }

    private static AttemptEvent finished(InstallMessage m) {
        return AttemptEvent.finished(m, "worker-a", false, AttemptResult.without(Outcome.SUCCEEDED, ""));
    }
}
