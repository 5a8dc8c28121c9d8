package io.lazarus.benchmark;

import java.util.List;
import java.util.Locale;

/** The runs of {@code --compare} side by side, as a Markdown table. */
final class Comparison {

    /** One setting's run: its numbers, or why there are none. */
    record Row(String limit, int prefetch, BenchmarkResult result, String failure) {}

    private Comparison() {}

    static String table(List<Row> rows) {
        double best = rows.stream()
                .filter(r -> r.limit().equals("fixed") && r.result() != null)
                .mapToDouble(r -> r.result().makespanSeconds())
                .min()
                .orElse(Double.NaN);
        StringBuilder table = new StringBuilder(
                "| setting | makespan | vs best fixed | time to start p50 | p95 | outcomes | worker peak heap |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            BenchmarkResult run = row.result();
            if (run == null) {
                table.append(String.format(
                        Locale.ROOT,
                        "| %s, prefetch %d | not measured: %s | | | | | |%n",
                        row.limit(),
                        row.prefetch(),
                        row.failure().replace('|', '/').replace('\n', ' ')));
                continue;
            }
            table.append(String.format(
                    Locale.ROOT,
                    "| %s, prefetch %d | %.2f s | %+.1f%% | %.2f s | %.2f s | %s | %s |%n",
                    row.limit(),
                    row.prefetch(),
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
