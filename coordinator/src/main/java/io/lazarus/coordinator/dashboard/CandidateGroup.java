package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.resurrection.Judged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One run's resurrection candidates on the dead-letter page, with how many were dead-lettered for each reason.
 *
 * @param reasons the broker's dead-letter reasons ({@code rejected}, {@code expired}, {@code delivery_limit}), counted
 */
record CandidateGroup(String runId, Map<String, Long> reasons, List<Judged> candidates) {

    static List<CandidateGroup> byRun(List<Judged> judged) {
        Map<String, List<Judged>> runs = judged.stream()
                .collect(Collectors.groupingBy(j -> j.candidate().runId(), TreeMap::new, Collectors.toList()));
        return runs.entrySet().stream()
                .map(run -> new CandidateGroup(
                        run.getKey(),
                        run.getValue().stream()
                                .collect(Collectors.groupingBy(
                                        j -> j.candidate().deadLetter().reason(),
                                        LinkedHashMap::new,
                                        Collectors.counting())),
                        run.getValue()))
                .toList();
    }

    /** "2 rejected, 1 expired". */
    public String reasonCounts() {
        return reasons.entrySet().stream()
                .map(reason -> reason.getValue() + " " + reason.getKey())
                .collect(Collectors.joining(", "));
    }
}
