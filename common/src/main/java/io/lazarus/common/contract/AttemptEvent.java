package io.lazarus.common.contract;

import io.lazarus.common.topology.Topology;
import java.time.Instant;
import java.util.List;

/**
 * Published by a worker to {@code lazarus.registry} with routing key {@code run.<runId>.<started|output|outcome>}.
 * Each attempt yields one STARTED event and then exactly one FINISHED event, whose {@code result} is set. An attempt
 * whose message the broker dead-letters also gets a DEAD_LETTERED event, whose {@code deadLetter} is set: published
 * by the coordinator from the dead-letter record, routing key {@code run.<runId>.dead_lettered}.
 *
 * @param nodeId      may be "unknown" for a message too malformed to name its node
 * @param redelivered the broker redelivered the install message (a previous worker may have run it)
 * @param executionId one handling of the message by one worker, shared by its STARTED and FINISHED events: a message
 *                    run twice (redelivered, or replayed into another worker) shows as two executions of its attempt;
 *                    null on events no worker executed (DEAD_LETTERED, a refusal before execution)
 * @param output      what the script printed: the chunks of an OUTPUT event (routing key {@code run.<runId>.output}),
 *                    or the last small ones, inline in the FINISHED event that follows them; empty on other events
 */
public record AttemptEvent(
        int schemaVersion,
        EventType type,
        String attemptId,
        String runId,
        String nodeId,
        int attempt,
        Instant at,
        String worker,
        boolean redelivered,
        AttemptResult result,
        DeadLetter deadLetter,
        String executionId,
        List<OutputChunk> output)
        implements Versioned {

    /** Chunks in one event: a worker sends at most one per stream at a time, and a cap marker. */
    public static final int MAX_CHUNKS = 4;

    /**
     * Events in one message at most: a worker publishes the events of one routing key that come together as one JSON
     * array, and a message of more is refused whole.
     */
    public static final int MAX_PER_MESSAGE = 500;

    public AttemptEvent {
        output = output == null ? List.of() : List.copyOf(output);
        if (type == null) {
            throw new InvalidField("type", "is required");
        }
        Contracts.require(attemptId, "attemptId");
        Contracts.requireRunId(runId);
        Contracts.require(nodeId, "nodeId");
        Contracts.require(worker, "worker");
        Contracts.requireAtMost(attemptId, "attemptId", 320);
        Contracts.requireAtMost(nodeId, "nodeId", 128);
        Contracts.requireAtMost(worker, "worker", 255);
        Contracts.requireAtMost(executionId, "executionId", 64);
        if (at == null) {
            throw new InvalidField("at", "is required");
        }
        if ((type == EventType.FINISHED) != (result != null)) {
            throw new IllegalArgumentException("a FINISHED event carries a result, and no other event does");
        }
        if ((type == EventType.DEAD_LETTERED) != (deadLetter != null)) {
            throw new IllegalArgumentException("a DEAD_LETTERED event carries a deadLetter, and no other event does");
        }
        if ((type == EventType.OUTPUT) && output.isEmpty()) {
            throw new InvalidField("output", "is required on an OUTPUT event");
        }
        if (!output.isEmpty() && type != EventType.OUTPUT && type != EventType.FINISHED) {
            throw new InvalidField("output", "is carried by OUTPUT and FINISHED events only");
        }
        if (output.size() > MAX_CHUNKS) {
            throw new InvalidField("output", "has " + output.size() + " chunks, more than " + MAX_CHUNKS);
        }
    }

    /** An event without output. */
    public AttemptEvent(
            int schemaVersion,
            EventType type,
            String attemptId,
            String runId,
            String nodeId,
            int attempt,
            Instant at,
            String worker,
            boolean redelivered,
            AttemptResult result,
            DeadLetter deadLetter,
            String executionId) {
        this(
                schemaVersion,
                type,
                attemptId,
                runId,
                nodeId,
                attempt,
                at,
                worker,
                redelivered,
                result,
                deadLetter,
                executionId,
                List.of());
    }

    public static AttemptEvent output(
            InstallMessage m, String worker, boolean redelivered, String executionId, List<OutputChunk> chunks) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.OUTPUT,
                m.attemptId(),
                m.runId(),
                m.node().id(),
                m.attempt(),
                Instant.now(),
                worker,
                redelivered,
                null,
                null,
                executionId,
                chunks);
    }

    /** This FINISHED event with the attempt's last chunks inline. */
    public AttemptEvent withOutput(List<OutputChunk> chunks) {
        return new AttemptEvent(
                schemaVersion,
                type,
                attemptId,
                runId,
                nodeId,
                attempt,
                at,
                worker,
                redelivered,
                result,
                deadLetter,
                executionId,
                chunks);
    }

    public static AttemptEvent started(InstallMessage m, String worker, boolean redelivered) {
        return started(m, worker, redelivered, null);
    }

    public static AttemptEvent started(InstallMessage m, String worker, boolean redelivered, String executionId) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.STARTED,
                m.attemptId(),
                m.runId(),
                m.node().id(),
                m.attempt(),
                Instant.now(),
                worker,
                redelivered,
                null,
                null,
                executionId);
    }

    public static AttemptEvent finished(InstallMessage m, String worker, boolean redelivered, AttemptResult result) {
        return finished(m, worker, redelivered, result, null);
    }

    public static AttemptEvent finished(
            InstallMessage m, String worker, boolean redelivered, AttemptResult result, String executionId) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.FINISHED,
                m.attemptId(),
                m.runId(),
                m.node().id(),
                m.attempt(),
                Instant.now(),
                worker,
                redelivered,
                result,
                null,
                executionId);
    }

    public static AttemptEvent finished(
            String attemptId,
            String runId,
            String nodeId,
            int attempt,
            String worker,
            boolean redelivered,
            AttemptResult result) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.FINISHED,
                attemptId,
                runId,
                nodeId,
                attempt,
                Instant.now(),
                worker,
                redelivered,
                result,
                null,
                null);
    }

    /** Recorded by {@code recorder} (the coordinator that read the dead-letter record). */
    public static AttemptEvent deadLettered(
            String attemptId, String runId, String nodeId, int attempt, String recorder, DeadLetter deadLetter) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                EventType.DEAD_LETTERED,
                attemptId,
                runId,
                nodeId,
                attempt,
                Instant.now(),
                recorder,
                false,
                null,
                deadLetter,
                null);
    }

    public String routingKey() {
        return Topology.eventRoutingKey(
                runId,
                switch (type) {
                    case STARTED -> "started";
                    case OUTPUT -> "output";
                    case FINISHED -> result.outcome().routingWord();
                    case DEAD_LETTERED -> "dead_lettered";
                });
    }
}
