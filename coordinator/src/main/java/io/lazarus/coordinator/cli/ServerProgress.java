package io.lazarus.coordinator.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** {@code run --server --wait}: the service's view of the run as the same progress line a local run prints. */
final class ServerProgress {

    private static final List<String> DONE =
            List.of("SUCCEEDED", "FAILED", "DEAD_LETTERED", "QUARANTINED", "GHOST", "CANCELLED");

    private final PrintStream out;
    private String last = "";

    ServerProgress(PrintStream out) {
        this.out = out;
    }

    /** Prints the line when the counts changed since the last one. */
    void show(JsonNode run) {
        JsonNode states = run.get("states");
        int total = run.get("total").asInt();
        int done = 0;
        List<String> ended = new ArrayList<>();
        for (String state : DONE) {
            int count = count(states, state);
            done += count;
            if (count > 0) {
                ended.add(state + " " + count);
            }
        }
        String counts = String.format(
                Locale.ROOT,
                "%d/%d done%s; running %d, queued %d",
                done,
                total,
                ended.isEmpty() ? "" : " (" + String.join(", ", ended) + ")",
                count(states, "RUNNING"),
                count(states, "PENDING"));
        JsonNode warning = run.get("warning");
        String line = counts + (warning == null || warning.isNull() ? "" : "; " + warning.asString());
        if (!line.equals(last)) {
            long seconds = Duration.between(Instant.parse(run.get("createdAt").asString()), Instant.now())
                    .toSeconds();
            out.printf(Locale.ROOT, "[%02d:%02d] %s%n", seconds / 60, seconds % 60, line);
            last = line;
        }
    }

    private static int count(JsonNode states, String state) {
        JsonNode count = states == null ? null : states.get(state);
        return count == null || count.isNull() ? 0 : count.asInt();
    }
}
