package io.lazarus.coordinator.resurrection;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What one drain did, candidate by candidate. Candidates of other runs, or not due yet, are not listed. */
public record DrainReport(List<Judged> judged, int leftForOthers) {

    public DrainReport {
        judged = List.copyOf(judged);
    }

    public int count(Verdict.Kind kind) {
        return (int) judged.stream().filter(j -> j.verdict().kind() == kind).count();
    }

    public String summary() {
        Map<Verdict.Kind, Long> kinds = judged.stream()
                .collect(Collectors.groupingBy(
                        j -> j.verdict().kind(), () -> new EnumMap<>(Verdict.Kind.class), Collectors.counting()));
        String verdicts = kinds.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().word())
                .collect(Collectors.joining(", "));
        return "%d candidate(s) judged%s; %d of other runs (or not due yet) left in place"
                .formatted(judged.size(), verdicts.isEmpty() ? "" : ": " + verdicts, leftForOthers);
    }
}
