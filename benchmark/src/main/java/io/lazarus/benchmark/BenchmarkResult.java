package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import tools.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of one benchmark run.
 *
 * @param makespanSeconds     from the coordinator's report: just before the first publish to the last outcome
 * @param lazarusRunSeconds   wall clock of the {@code lazarus run} process, JVM start and report writing included
 * @param overheadSeconds     makespan minus the install length: what Lazarus, SSH and the shared CPUs added
 * @param nodeAttemptP50Ms    a node's attempt as its worker measured it (connect plus install), median
 * @param benchmarkCpuSeconds CPU time of the benchmark's own JVM during the run: mostly the simulated SSH fleet
 * @param coordinatorCpuSeconds CPU time of {@code lazarus run}, its JVM start included
 * @param loadAverageBefore   {@code /proc/loadavg} before and after the run: other work on the machine skews everything
 */
record BenchmarkResult(
        int nodes,
        Duration install,
        int outputLines,
        int prefetch,
        int workers,
        Map<String, Integer> outcomes,
        double makespanSeconds,
        double lazarusRunSeconds,
        double nodesPerSecond,
        double overheadSeconds,
        long nodeAttemptP50Ms,
        long nodeAttemptP95Ms,
        long nodeAttemptMaxMs,
        List<WorkerResult> workerResults,
        double benchmarkCpuSeconds,
        double coordinatorCpuSeconds,
        int cores,
        String loadAverageBefore,
        String loadAverageAfter) {

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%n== lazarus benchmark: %d nodes, install %s s in %d lines, %d worker(s) at prefetch %d ==%n",
                nodes, install.toMillis() / 1000.0, outputLines, workers, prefetch);
        out.printf(Locale.ROOT, "outcomes              %s%n", outcomes);
        out.printf(Locale.ROOT, "makespan              %.2f s   (coordinator report: startedAt -> finishedAt, first publish to last outcome)%n",
                makespanSeconds);
        out.printf(Locale.ROOT, "nodes per second      %.1f%n", nodesPerSecond);
        out.printf(Locale.ROOT, "overhead              %.2f s   (makespan - install length)%n", overheadSeconds);
        out.printf(Locale.ROOT, "lazarus run, wall     %.2f s   (the CLI process, JVM start included)%n", lazarusRunSeconds);
        out.printf(Locale.ROOT, "node attempt          p50 %d ms, p95 %d ms, max %d ms   (worker-measured: connect + install)%n",
                nodeAttemptP50Ms, nodeAttemptP95Ms, nodeAttemptMaxMs);
        for (WorkerResult w : workerResults) {
            out.printf(Locale.ROOT, "worker %-8d        idle: RSS %.1f MiB, heap %.1f MiB%n", w.pid(), w.idleRssMiB(), w.idleHeapMiB());
            out.printf(Locale.ROOT, "                      peak: RSS %.1f MiB (VmHWM; %.1f MiB sampled during the run), heap %.1f MiB, in flight %d, OS threads %d%n",
                    w.peakRssMiB(), w.peakSampledRssMiB(), w.peakHeapMiB(), w.peakInFlight(), w.peakThreads());
            out.printf(Locale.ROOT, "                      at peak in flight: RSS %.1f MiB, heap %.1f MiB%n",
                    w.rssAtPeakInFlightMiB(), w.heapAtPeakInFlightMiB());
            out.printf(Locale.ROOT, "                      per in-flight session: RSS %.1f KiB, heap %.1f KiB (heap includes uncollected garbage)%n",
                    w.rssPerSessionKiB(), w.heapPerSessionKiB());
            if (w.unansweredSamples() > 0) {
                out.printf(Locale.ROOT, "                      %d sample(s) without an actuator answer within 5 s%n",
                        w.unansweredSamples());
            }
        }
        double available = lazarusRunSeconds * cores;
        out.printf(Locale.ROOT, "CPU during the run    %s, benchmark JVM (SSH fleet) %.1f s, lazarus run %.1f s; of %.1f s (%d cores x %.1f s)%n",
                workerCpu(), benchmarkCpuSeconds, coordinatorCpuSeconds, available, cores, lazarusRunSeconds);
        out.printf(Locale.ROOT, "                      SSH fleet share: %.0f%% of the machine%n", 100 * benchmarkCpuSeconds / available);
        out.printf(Locale.ROOT, "load average          before %s, after %s%n", loadAverageBefore, loadAverageAfter);
    }

    private String workerCpu() {
        return String.join(", ", workerResults.stream()
                .map(w -> String.format(Locale.ROOT, "worker %d %.1f s", w.pid(), w.cpuSeconds())).toList());
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Contracts.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(this));
    }
}
