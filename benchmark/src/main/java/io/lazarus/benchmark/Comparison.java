package io.lazarus.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The runs of {@code --compare} side by side, as a Markdown table. */
final class Comparison {

    /** One setting's run: its numbers, or why there are none. */
    record Row(String limit, int prefetch, int round, BenchmarkResult result, String failure) {

        String setting() {
            return limit + ", prefetch " + prefetch;
        }
    }

    private Comparison() {}

    static String table(List<Row> rows) {
        Map<String, Double> means = rows.stream()
                .filter(r -> r.result() != null)
                .collect(Collectors.groupingBy(
                        Row::setting,
                        LinkedHashMap::new,
                        Collectors.averagingDouble(r -> r.result().makespanSeconds())));
        double best = rows.stream()
                .filter(r -> r.limit().equals("fixed") && r.result() != null)
                .mapToDouble(r -> means.get(r.setting()))
                .min()
                .orElse(Double.NaN);
        StringBuilder table = new StringBuilder(
                "| setting | round | makespan | time to start p50 | p95 | outcomes | worker peak heap |\n"
                        + "|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            BenchmarkResult run = row.result();
            if (run == null) {
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | not measured: %s | | | | |%n",
                        row.setting(),
                        row.round(),
                        row.failure().replace('|', '/').replace('\n', ' ')));
                continue;
            }
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f s | %.2f s | %.2f s | %s | %s |%n",
                    row.setting(),
                    row.round(),
                    run.makespanSeconds(),
                    run.timeToStartP50Ms() / 1000.0,
                    run.timeToStartP95Ms() / 1000.0,
                    run.outcomes(),
                    run.workerResults().stream()
                            .map(w -> String.format(Locale.ROOT, "%.0f MiB", w.peakHeapMiB()))
                            .toList()));
        }
        table.append("\n| setting | mean makespan | vs best fixed |\n|---|---|---|\n");
        means.forEach((setting, mean) -> table.append(
                String.format(Locale.ROOT, "| %s | %.2f s | %+.1f%% |%n", setting, mean, (mean / best - 1) * 100)));
        return table.toString();
    }
}
