package io.lazarus.coordinator.report;

import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's books: every node the broker confirmed (the manifest) must be accounted for exactly once, and with the nodes
 * never released they must make the run's total.
 *
 * @param manifest       nodes whose install message the broker confirmed
 * @param neverReleased  nodes flow control held back (CANCELLED, never dispatched)
 * @param failed         failed nodes by outcome
 * @param cancelled      dispatched nodes a worker cancelled (the run's deadline passed before it took them)
 * @param unfinished     nodes still PENDING or RUNNING: a report of a run still going
 * @param balanced       whether the states add up to the manifest, and the manifest and the held-back to the total
 */
public record Reconciliation(
        int total,
        int manifest,
        int neverReleased,
        int succeeded,
        Map<String, Integer> failed,
        int deadLettered,
        int quarantined,
        int ghosts,
        int cancelled,
        int unfinished,
        boolean balanced) {

    /** The books in one line, as the summary and the dashboard show them. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "%d dispatched = %d succeeded + %d failed + %d dead-lettered + %d quarantined + %d ghosts"
                        + " + %d cancelled + %d unfinished; %d never released: %s",
                manifest,
                succeeded,
                failed.values().stream().mapToInt(Integer::intValue).sum(),
                deadLettered,
                quarantined,
                ghosts,
                cancelled,
                unfinished,
                neverReleased,
                balanced ? "balanced" : "DO NOT BALANCE");
    }

    /** A node as the books see it: its state and its last finished attempt's outcome (null when none finished). */
    public record Entry(NodeState state, Outcome outcome) {}

    static Reconciliation of(List<NodeReport> nodes, int manifest) {
        return ofEntries(
                nodes.stream()
                        .map(node -> new Entry(node.state(), node.outcome()))
                        .toList(),
                manifest);
    }

    public static Reconciliation ofEntries(List<Entry> nodes, int manifest) {
        Map<String, Integer> failed = new TreeMap<>();
        int neverReleased = 0;
        int cancelled = 0;
        int[] byState = new int[NodeState.values().length];
        for (Entry node : nodes) {
            byState[node.state().ordinal()]++;
            if (node.state() == NodeState.FAILED) {
                failed.merge(node.outcome() == null ? "UNKNOWN" : node.outcome().name(), 1, Integer::sum);
            }
            if (node.state() == NodeState.CANCELLED) {
                if (node.outcome() == null) {
                    neverReleased++;
                } else {
                    cancelled++;
                }
            }
        }
        int succeeded = byState[NodeState.SUCCEEDED.ordinal()];
        int failures = failed.values().stream().mapToInt(Integer::intValue).sum();
        int deadLettered = byState[NodeState.DEAD_LETTERED.ordinal()];
        int quarantined = byState[NodeState.QUARANTINED.ordinal()];
        int ghosts = byState[NodeState.GHOST.ordinal()];
        int unfinished = byState[NodeState.PENDING.ordinal()] + byState[NodeState.RUNNING.ordinal()];
        boolean balanced =
                succeeded + failures + deadLettered + quarantined + ghosts + cancelled + unfinished == manifest
                        && manifest + neverReleased == nodes.size();
        return new Reconciliation(
                nodes.size(),
                manifest,
                neverReleased,
                succeeded,
                failed,
                deadLettered,
                quarantined,
                ghosts,
                cancelled,
                unfinished,
                balanced);
    }
}
