package io.lazarus.coordinator.dashboard;

import io.lazarus.coordinator.registry.NodeRecord;

/** One node in a run's grid, as the page's script updates it: id, state and the outcome of its last attempt. */
record Cell(String id, String state, String outcome) {

    static Cell of(NodeRecord node) {
        return new Cell(
                node.nodeId(),
                node.state().name(),
                node.lastOutcome() == null ? "" : node.lastOutcome().name());
    }
}
