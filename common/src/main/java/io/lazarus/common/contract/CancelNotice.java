package io.lazarus.common.contract;

import java.time.Duration;
import java.time.Instant;

/**
 * The coordinator's word that a run is cancelled, published on {@code lazarus.control} for every worker and signed
 * with the run-signing key like the run's install messages. A worker that trusts it runs no more of the run's queued
 * nodes: it reports each one CANCELLED instead.
 *
 * @param noticeId    unique per notice: the message id its signature covers
 * @param runDeadline the run's deadline: past it no install message of the run is run anyway, so the worker forgets it
 */
public record CancelNotice(int schemaVersion, String noticeId, String runId, Instant cancelledAt, Instant runDeadline)
        implements Versioned {

    /**
     * How often the follower of a cancelled run announces it again while nodes of it may still be queued; a worker
     * that starts holds its first deliveries for a little longer than this, so it has heard of every such run.
     */
    public static final Duration REPEAT = Duration.ofSeconds(2);

    public CancelNotice {
        Contracts.require(noticeId, "noticeId");
        Contracts.requireAtMost(noticeId, "noticeId", 128);
        Contracts.requireRunId(runId);
        if (cancelledAt == null) {
            throw new InvalidField("cancelledAt", "is required");
        }
        if (runDeadline == null) {
            throw new InvalidField("runDeadline", "is required");
        }
    }

    public static CancelNotice of(String runId, Instant cancelledAt, Instant runDeadline) {
        return new CancelNotice(
                Contracts.SCHEMA_VERSION,
                runId + "/cancel/" + java.util.UUID.randomUUID(),
                runId,
                cancelledAt,
                runDeadline);
    }
}
