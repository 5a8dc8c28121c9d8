package io.lazarus.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lazarus and the clients beside it, taking turns round after round on the same nodes: this machine's speed drifts by a
 * third within minutes, and a client that always ran after Lazarus could land in another phase than Lazarus did. Each
 * round's ratio compares two runs a minute apart; the median of the rounds' ratios is the figure to quote.
 */
final class SideBySideRounds {

    /**
     * One client beside Lazarus.
     *
     * @param name              its section in the result file: {@code bareFloor}, {@code floor}, ... {@code pssh}
     * @param ratio             what the ratio divides: Lazarus's makespan by the floor's, or the command's wall time by
     *                          parallel-ssh's
     * @param seconds           its makespan (parallel-ssh: its wall time) in each round
     * @param lazarusOver       Lazarus over it, in each round: the ratio that client's section defines
     * @param medianLazarusOver the median of those ratios
     */
    record Side(String name, String ratio, List<Double> seconds, List<Double> lazarusOver, double medianLazarusOver) {}

    /** The result file's {@code sideBySide} section. */
    record Summary(
            int rounds, List<Double> lazarusMakespanSeconds, double medianLazarusMakespanSeconds, List<Side> sides) {}

    private final List<Double> lazarus = new ArrayList<>();
    private final Map<String, List<double[]>> sides = new LinkedHashMap<>();
    private final Map<String, String> ratios = new LinkedHashMap<>();

    /** Starts a round with Lazarus's makespan in it. */
    void lazarus(double makespanSeconds) {
        lazarus.add(makespanSeconds);
    }

    /** A client's figure in the current round, and Lazarus's over it ({@code ratio} says of what). */
    void side(String name, String ratio, double seconds, double lazarusOver) {
        if (lazarus.isEmpty()) {
            throw new IllegalStateException("a round starts with Lazarus's run");
        }
        ratios.put(name, ratio);
        sides.computeIfAbsent(name, n -> new ArrayList<>()).add(new double[] {seconds, lazarusOver});
    }

    Summary summary() {
        List<Side> summarized = sides.entrySet().stream()
                .map(e -> {
                    List<Double> seconds = e.getValue().stream().map(r -> r[0]).toList();
                    List<Double> lazarusOver =
                            e.getValue().stream().map(r -> r[1]).toList();
                    return new Side(e.getKey(), ratios.get(e.getKey()), seconds, lazarusOver, median(lazarusOver));
                })
                .toList();
        return new Summary(lazarus.size(), List.copyOf(lazarus), median(lazarus), summarized);
    }

    void print(PrintStream out) {
        Summary summary = summary();
        out.printf(
                Locale.ROOT,
                "%n== side by side: %d rounds, Lazarus first in each, then every client on the same nodes; in brackets"
                        + " Lazarus / that client in the same round ==%n",
                summary.rounds());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-22s", ""));
        for (int r = 1; r <= summary.rounds(); r++) {
            header.append(String.format(Locale.ROOT, "%-18s", "round " + r));
        }
        out.println(header.append("median"));
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-22s", "Lazarus makespan"));
        summary.lazarusMakespanSeconds()
                .forEach(s -> row.append(String.format(Locale.ROOT, "%-18s", String.format(Locale.ROOT, "%.2f s", s))));
        out.println(row.append(String.format(Locale.ROOT, "%.2f s", summary.medianLazarusMakespanSeconds())));
        for (Side side : summary.sides()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", side.name()));
            for (int r = 0; r < side.seconds().size(); r++) {
                line.append(String.format(
                        Locale.ROOT,
                        "%-18s",
                        String.format(
                                Locale.ROOT,
                                "%.2f s (%.2f)",
                                side.seconds().get(r),
                                side.lazarusOver().get(r))));
            }
            out.println(line.append(String.format(Locale.ROOT, "%.2f   %s", side.medianLazarusOver(), side.ratio())));
        }
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return Numbers.round(median);
    }
}
