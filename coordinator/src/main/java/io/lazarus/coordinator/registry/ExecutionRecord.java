package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.Outcome;
import java.time.Instant;

/**
 * One handling of an attempt's message by one worker. An attempt normally has one; a redelivery after a worker or
 * channel failure, or a replay into another worker, gives it more, and each is on the record.
 *
 * @param outcome null while it runs (or if its worker never reported an end)
 */
public record ExecutionRecord(
        String executionId,
        String attemptId,
        String runId,
        String nodeId,
        String worker,
        boolean redelivered,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome) {

    /** A worker ran it; a handling without a start was a refusal (a replay, a bad signature), nothing ran. */
    public boolean started() {
        return startedAt != null;
    }
}
