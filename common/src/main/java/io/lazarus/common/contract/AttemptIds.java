package io.lazarus.common.contract;

import java.util.UUID;

/** Attempt ids are unique per attempt and readable enough to grep for in logs. */
public final class AttemptIds {

    private AttemptIds() {}

    public static String next(String runId, String nodeId, int attempt) {
        return runId + "/" + nodeId + "/" + attempt + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The id of the attempt that follows {@code previous}: always the same one, so that bringing a node back twice
     * after a crash yields one attempt, not two.
     */
    public static String successor(String previous, String runId, String nodeId, int previousAttempt) {
        String seed = UUID.nameUUIDFromBytes(previous.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return runId + "/" + nodeId + "/" + (previousAttempt + 1) + "/" + seed.substring(0, 8);
    }
}
