package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results a run's report needs, read from the registry ahead of its end: once all but a tenth of a large run's
 * nodes are done, a thread of its own reads and parses the results of their attempts while the run waits for the
 * rest, and the report at the end reads only what finished since. An attempt's result never changes once recorded,
 * so a result read ahead is the one the report would have read; a node that moved on to another attempt since
 * (resurrected) is read again by its new attempt's id.
 *
 * <p>What this buys is the exit: reading and parsing every node's result after the last outcome grew with the run
 * (about 25 ms per 1000 nodes on the machine the README measures). What it costs is memory in the run's last tenth:
 * the results of the nodes done by then, which the report holds at the end anyway.
 */
final class ResultsReadAhead {

    private static final Logger log = LoggerFactory.getLogger(ResultsReadAhead.class);
    /** Below this many nodes the report reads its results at the end in a moment: nothing is read ahead. */
    static final int MIN_NODES = 500;

    private final Function<Collection<String>, Map<String, AttemptResult>> registry;
    private Thread reader;
    private volatile Map<String, AttemptResult> read = Map.of();

    /** @param registry the results of these attempt ids, by id, as the registry has them */
    ResultsReadAhead(Function<Collection<String>, Map<String, AttemptResult>> registry) {
        this.registry = registry;
    }

    /** Starts reading ahead once, when all but a tenth of a large run's nodes are done. */
    void maybeStart(RunTracker tracker) {
        RunTracker.Progress progress = tracker.progress();
        if (reader != null
                || progress.total() < MIN_NODES
                || progress.total() - progress.done() > progress.total() / 10) {
            return;
        }
        List<String> finished = tracker.lastAttemptIds();
        reader = Thread.ofPlatform().daemon().name("report-read-ahead").start(() -> {
            try {
                read = registry.apply(finished);
            } catch (RuntimeException e) {
                // the report reads them at the end instead
                log.debug("reading the report's results ahead failed: {}", e.toString());
            }
        });
    }

    /** The results of these attempts: those read ahead, and the rest from the registry now. */
    Map<String, AttemptResult> results(Collection<String> attemptIds) {
        Map<String, AttemptResult> ahead = readAhead();
        Map<String, AttemptResult> results = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (String id : attemptIds) {
            AttemptResult result = ahead.get(id);
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

    private Map<String, AttemptResult> readAhead() {
        if (reader == null) {
            return Map.of();
        }
        try {
            reader.join();
            return read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }
}
