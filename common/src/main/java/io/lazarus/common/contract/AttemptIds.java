package io.lazarus.common.contract;

import java.util.UUID;

/** Attempt ids are unique per attempt and readable enough to grep for in logs. */
public final class AttemptIds {

    private AttemptIds() {
    }

    public static String next(String runId, String nodeId, int attempt) {
        return runId + "/" + nodeId + "/" + attempt + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
