package io.lazarus.coordinator.inventory;

import java.util.List;
import java.util.TreeMap;

/**
 * Writes nodes as a plain inventory that reads back to the same nodes whatever the reader's {@code --user} and
 * {@code --port}: every line names its user, port and id, then its facts in key order. For generated inventories
 * (cloud discovery), so that a run can be repeated from a file a person can read.
 */
public final class PlainInventoryWriter {

    private PlainInventoryWriter() {}

    /** @throws IllegalArgumentException naming the first node that a plain inventory cannot express */
    public static String write(List<InventoryNode> nodes) {
        StringBuilder text = new StringBuilder();
        for (InventoryNode node : nodes) {
            text.append(line(node)).append('\n');
        }
        return text.toString();
    }

    private static String line(InventoryNode node) {
        if (!NodeSyntax.isName(node.id())) {
            throw new IllegalArgumentException(
                    "node id '" + node.id() + "' cannot be a name (" + NodeSyntax.NAME_RULE + ")");
        }
        if (!NodeSyntax.isUser(node.user())) {
            throw new IllegalArgumentException("node " + node.id() + ": invalid user '" + node.user() + "'");
        }
        if (!NodeSyntax.isHost(node.host())) {
            throw new IllegalArgumentException("node " + node.id() + ": invalid host '" + node.host() + "'");
        }
        StringBuilder line =
                new StringBuilder(node.target().address()).append(" name=").append(node.id());
        new TreeMap<>(node.facts()).forEach((key, value) -> {
            try {
                NodeSyntax.checkFact(key, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("node " + node.id() + ": " + e.getMessage(), e);
            }
            line.append(" fact.").append(key).append('=').append(value);
        });
        return line.toString();
    }
}
