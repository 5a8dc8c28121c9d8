package io.lazarus.benchmark;

import io.lazarus.benchmark.ProcStatus.ThreadCpu;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's CPU by thread name over its whole life, from samples: each thread counts with what its last sample saw,
 * so a thread that ended before the process (a consumer stopped at exit) still counts. One sampler at a time.
 */
final class ThreadCpuTally {

    private final Map<Long, ThreadCpu> lastSeen = new HashMap<>();

    /**
     * Adds a sample of {@link ProcStatus#cpuOfThreads}. A thread's CPU only grows: a smaller reading (a thread read as
     * zero because it ended between its name and its times) keeps what it had before.
     */
    void add(Map<Long, ThreadCpu> sample) {
        sample.forEach((id, now) ->
                lastSeen.merge(id, now, (before, after) -> after.cpu().compareTo(before.cpu()) >= 0 ? after : before));
    }

    /** CPU time by thread name, the threads of one name summed. */
    Map<String, Duration> byName() {
        Map<String, Duration> byName = new TreeMap<>();
        lastSeen.values().forEach(thread -> byName.merge(thread.name(), thread.cpu(), Duration::plus));
        return byName;
    }

    /**
     * CPU time by thread name since {@code start} (an earlier {@link ProcStatus#cpuOfThreads} of the same process): what
     * a long-running process spent on one job, its threads' earlier work left out.
     */
    Map<String, Duration> byNameSince(Map<Long, ThreadCpu> start) {
        Map<String, Duration> byName = new TreeMap<>();
        lastSeen.forEach((id, thread) -> {
            ThreadCpu before = start.get(id);
            Duration spent = before == null ? thread.cpu() : thread.cpu().minus(before.cpu());
            byName.merge(thread.name(), spent, Duration::plus);
        });
        return byName;
    }
}
