package io.lazarus.coordinator.resurrection;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * One pass over the resurrection candidates.
 *
 * @param runId     only this run's candidates; the others stay where they are
 * @param max       judge at most this many candidates
 * @param dryRun    say what would be done, and leave every candidate in place
 * @param limit     resurrections before a node is quarantined
 * @param withinRun the run's own follower drains: nothing is resurrected past the run's deadline
 * @param selected  only the candidates it selects are judged; the others stay where they are (automatic resurrection
 *                  selects those due, an operator's page one node)
 */
public record DrainRequest(
        Optional<String> runId,
        int max,
        boolean dryRun,
        int limit,
        boolean withinRun,
        Predicate<DeadLetteredMessage> selected) {

    public DrainRequest {
        if (max < 1) {
            throw new IllegalArgumentException("max must be 1 or more, was " + max);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, was " + limit);
        }
    }

    /** An operator's (or CI's) drain. */
    public static DrainRequest byOperator(Optional<String> runId, int max, boolean dryRun, int limit) {
        return byOperator(runId, candidate -> true, max, dryRun, limit);
    }

    /** An operator's drain of the candidates {@code selected} picks, of one run or of every run. */
    public static DrainRequest byOperator(
            Optional<String> runId, Predicate<DeadLetteredMessage> selected, int max, boolean dryRun, int limit) {
        return new DrainRequest(runId, max, dryRun, limit, false, selected);
    }

    /** A run following itself with {@code --resurrect auto}. */
    public static DrainRequest withinRun(String runId, int limit, Predicate<DeadLetteredMessage> due) {
        return new DrainRequest(Optional.of(runId), Integer.MAX_VALUE, false, limit, true, due);
    }
}
