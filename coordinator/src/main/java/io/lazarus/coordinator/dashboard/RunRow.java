package io.lazarus.coordinator.dashboard;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.RunListing;
import java.util.Map;

/** One run's line in the dashboard's list: its node counts by state and how far it got. */
record RunRow(RunListing.Listed run, Map<NodeState, Integer> states, int done, String duration) {

    static RunRow of(RunListing.Listed run, Map<NodeState, Integer> states) {
        int done = states.entrySet().stream()
                .filter(e -> e.getKey().done())
                .mapToInt(Map.Entry::getValue)
                .sum();
        return new RunRow(run, states, done, Durations.between(run.createdAt(), run.finishedAt()));
    }
}
