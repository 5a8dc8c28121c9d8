package io.lazarus.coordinator.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The order a run releases its nodes in. A canary is always the inventory's first nodes: it is there to try the
 * script on the nodes the operator chose, not on those that fail most.
 */
public final class ReleaseOrder {

    private ReleaseOrder() {}

    /**
     * @param failures how often each node, by id, failed in passing lately; a node missing failed never
     * @param canary   this many of the first nodes keep their place
     */
    public static <T> List<T> of(
            List<T> nodes,
            Function<T, String> id,
            RunOrder order,
            int canary,
            Map<String, Integer> failures,
            Random random) {
        int kept = Math.min(Math.max(canary, 0), nodes.size());
        List<T> rest = new ArrayList<>(nodes.subList(kept, nodes.size()));
        switch (order) {
            case INVENTORY -> {}
            // stable: nodes that failed as often keep their inventory order
            case HISTORY ->
                rest.sort(Comparator.comparingInt((T node) -> failures.getOrDefault(id.apply(node), 0))
                        .reversed());
            case RANDOM -> Collections.shuffle(rest, random);
        }
        List<T> ordered = new ArrayList<>(nodes.subList(0, kept));
        ordered.addAll(rest);
        return ordered;
    }
}
