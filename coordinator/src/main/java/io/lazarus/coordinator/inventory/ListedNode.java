package io.lazarus.coordinator.inventory;

import java.util.Map;
import java.util.TreeMap;

/** A node as a preview lists it ({@code run --list-hosts --json}, {@code POST /api/runs/preview}). */
public record ListedNode(String id, String user, String host, int port, Map<String, String> facts) {

    public static ListedNode of(InventoryNode node) {
        return new ListedNode(node.id(), node.user(), node.host(), node.port(), new TreeMap<>(node.facts()));
    }
}
