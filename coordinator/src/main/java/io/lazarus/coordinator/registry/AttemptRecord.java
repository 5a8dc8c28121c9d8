package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Outcome;
import java.time.Instant;

/** One attempt on one node: when it started and, once it finished, how, with everything its worker reported. */
public record AttemptRecord(
        String attemptId,
        String runId,
        String nodeId,
        int attempt,
        String worker,
        boolean redelivered,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        AttemptResult result) {}
