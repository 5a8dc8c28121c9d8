package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.registry.AttemptRecord;

/** One attempt on the node page, with its durations as people read them. */
record AttemptRow(AttemptRecord attempt, String wall, String reported) {

    static AttemptRow of(AttemptRecord attempt) {
        return new AttemptRow(
                attempt,
                attempt.startedAt() == null ? "" : Durations.between(attempt.startedAt(), attempt.finishedAt()),
                attempt.result() == null
                        ? ""
                        : Durations.ofMillis(attempt.result().durationMs()));
    }
}
