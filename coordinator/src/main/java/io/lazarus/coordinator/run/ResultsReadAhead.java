package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results a run's report needs, read from the registry ahead of its end: once all but a quarter of a large run's
 * nodes are done, a thread of its own reads and parses the results of their attempts while the run waits for the
 * rest, then, round after round, the results of the attempts finished since the last round, and the report at the end
 * reads only what finished since the last. An attempt's result never changes once recorded, so a result read ahead is
 * the one the report would have read; a node that moved on to another attempt since (resurrected) is read again by its
 * new attempt's id.
 *
 * <p>What this buys is the exit: reading and parsing every node's result after the last outcome grew with the run
 * (about 25 ms per 1000 nodes on the machine the README measures). One read begun at the last tenth was not enough:
 * on a busy machine the 4500 results of a 5000-node run were still being read when the last outcome came, and the
 * report waited 0.3 - 0.9 s for them. What it costs is memory in the run's last quarter: the results of the nodes done
 * by then, which the report holds at the end anyway.
 */
final class ResultsReadAhead {

    private static final Logger log = LoggerFactory.getLogger(ResultsReadAhead.class);
    /** Below this many nodes the report reads its results at the end in a moment: nothing is read ahead. */
    static final int MIN_NODES = 500;

    private final Function<Collection<String>, Map<String, AttemptResult>> registry;
    private final Map<String, AttemptResult> read = new ConcurrentHashMap<>();
    /** The attempts a round has asked for: the follower's thread alone touches it. */
    private final Set<String> asked = new HashSet<>();

    private Thread round;
    private volatile boolean failed;

    /** @param registry the results of these attempt ids, by id, as the registry has them */
    ResultsReadAhead(Function<Collection<String>, Map<String, AttemptResult>> registry) {
        this.registry = registry;
    }

    /**
     * Starts a round when all but a quarter of a large run's nodes are done and no round is under way: the attempts
     * finished since the last one.
     */
    void maybeStart(RunTracker tracker) {
        if (failed || (round != null && round.isAlive())) {
            return;
        }
        RunTracker.Progress progress = tracker.progress();
        if (progress.total() < MIN_NODES || progress.total() - progress.done() > progress.total() / 4) {
            return;
        }
        List<String> finished =
                tracker.lastAttemptIds().stream().filter(asked::add).toList();
        if (finished.isEmpty()) {
            return;
        }
        round = Thread.ofPlatform().daemon().name("report-read-ahead").start(() -> {
            try {
                read.putAll(registry.apply(finished));
            } catch (RuntimeException e) {
                failed = true; // the report reads what is missing at the end
                log.debug("reading the report's results ahead failed: {}", e.toString());
            }
        });
    }

    /** The results of these attempts: those read ahead, and the rest from the registry now. */
    Map<String, AttemptResult> results(Collection<String> attemptIds) {
        awaitRound();
        Map<String, AttemptResult> results = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (String id : attemptIds) {
            AttemptResult result = read.get(id);
            if (result != null) {
                results.put(id, result);
            } else {
                rest.add(id);
            }
        }
        if (!rest.isEmpty()) {
            results.putAll(registry.apply(rest));
        }
        return results;
    }

    /** Waits for the round under way, if any. */
    void awaitRound() {
        if (round == null) {
            return;
        }
        try {
            round.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
