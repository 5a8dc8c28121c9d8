package io.lazarus.benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The printed summary's layout: a label column, then the numbers. */
final class Lines {

    private static final int THREADS_NAMED = 6;

    private Lines() {}

    static void line(PrintStream out, String label, String format, Object... args) {
        out.printf(Locale.ROOT, "%-22s%s%n", label, String.format(Locale.ROOT, format, args));
    }

    /** CPU seconds by thread name, the busiest first: {@code run-events 3.80 s, java 2.47 s, ..., 17 more 0.13 s}. */
    static String busiestThreads(Map<String, Double> cpuSecondsByThread) {
        List<Map.Entry<String, Double>> busiest = cpuSecondsByThread.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .toList();
        List<String> named = busiest.stream()
                .limit(THREADS_NAMED)
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()))
                .collect(Collectors.toCollection(ArrayList::new));
        if (busiest.size() > THREADS_NAMED) {
            double rest = busiest.stream()
                    .skip(THREADS_NAMED)
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
            named.add(String.format(Locale.ROOT, "%d more %.2f s", busiest.size() - THREADS_NAMED, rest));
        }
        return String.join(", ", named);
    }
}
