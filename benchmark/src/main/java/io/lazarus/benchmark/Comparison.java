package io.lazarus.benchmark;

import java.util.List;
import java.util.Locale;

/** The runs of {@code --compare} side by side, as a Markdown table. */
final class Comparison {

    private Comparison() {}

    static String table(List<BenchmarkResult> runs) {
        double best = runs.stream()
                .filter(r -> r.limit().equals("fixed"))
                .mapToDouble(BenchmarkResult::makespanSeconds)
                .min()
                .orElse(Double.NaN);
        StringBuilder table = new StringBuilder(
                "| setting | makespan | vs best fixed | time to start p50 | p95 | outcomes | worker peak heap |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (BenchmarkResult run : runs) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s, prefetch %d | %.2f s | %+.1f%% | %.2f s | %.2f s | %s | %s |%n",
                    run.limit(),
                    run.prefetch(),
                    run.makespanSeconds(),
                    (run.makespanSeconds() / best - 1) * 100,
                    run.timeToStartP50Ms() / 1000.0,
                    run.timeToStartP95Ms() / 1000.0,
                    run.outcomes(),
                    run.workerResults().stream()
                            .map(w -> String.format(Locale.ROOT, "%.0f MiB", w.peakHeapMiB()))
                            .toList()));
        }
        return table.toString();
    }
}
