package io.lazarus.coordinator.dashboard;

import io.lazarus.common.contract.AttemptStep;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.ExecutionRecord;
import java.util.List;

/**
 * One attempt on the node page, with its durations as people read them, every handling of it by a worker and every
 * step its worker reported.
 */
record AttemptRow(AttemptRecord attempt, String wall, String reported, List<Execution> executions, List<Step> steps) {

    /** One handling of the attempt by one worker; one without a start was refused, nothing ran. */
    record Execution(ExecutionRecord execution, String duration) {}

    /** One connect, upload or command run of the attempt, as its worker reported it. */
    record Step(AttemptStep step, String duration) {}

    /** The node's attempts, oldest first, each with its executions. */
    static List<AttemptRow> of(List<AttemptRecord> attempts, List<ExecutionRecord> executions) {
        return attempts.stream()
                .map(attempt -> of(
                        attempt,
                        executions.stream()
                                .filter(e -> e.attemptId().equals(attempt.attemptId()))
                                .toList()))
                .toList();
    }

    private static AttemptRow of(AttemptRecord attempt, List<ExecutionRecord> executions) {
        return new AttemptRow(
                attempt,
                Durations.between(attempt.startedAt(), attempt.finishedAt()),
                attempt.result() == null
                        ? ""
                        : Durations.ofMillis(attempt.result().durationMs()),
                executions.stream()
                        .map(e -> new Execution(e, Durations.between(e.startedAt(), e.finishedAt())))
                        .toList(),
                attempt.result() == null
                        ? List.of()
                        : attempt.result().steps().stream()
                                .map(step -> new Step(step, Durations.ofMillis(step.durationMs())))
                                .toList());
    }
}
