package io.lazarus.coordinator.inventory;

import io.lazarus.common.contract.NodeTarget;
import java.util.Map;

/** One node of an inventory, with the line it came from. */
public record InventoryNode(String id, String user, String host, int port, Map<String, String> facts, Source source) {

    public InventoryNode {
        facts = Map.copyOf(facts);
    }

    public NodeTarget target() {
        return new NodeTarget(id, host, port, user, facts);
    }

    /** File and line, for error messages. */
    public record Source(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }
}
