package io.lazarus.coordinator.inventory;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The inventory as a run's record keeps it: only what Lazarus used, each node as a plain inventory line (its
 * {@code user@host:port}, name and facts), never the text as given, whose other variables (a playbook's
 * {@code db_password}) may be secrets. The variables left out are named, by name only, in a comment line, so the
 * record says what it lacks. It reads back as a plain inventory with the same nodes (a node whose id is an IPv6
 * address reads back with the port in its id); the registry keeps each node's target besides, for reruns.
 */
public final class StoredInventory {

    public static final String HEADER =
            "# stored by Lazarus: the nodes as the run used them (user@host:port, name, facts)";
    public static final String DROPPED = "# variables not stored: ";

    private StoredInventory() {}

    public static String render(List<InventoryNode> nodes, Collection<String> droppedVariables) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        if (!droppedVariables.isEmpty()) {
            text.append(DROPPED)
                    .append(String.join(", ", new TreeSet<>(droppedVariables)))
                    .append('\n');
        }
        for (InventoryNode node : nodes) {
            // an IPv6 address as a node id cannot be a name=, and is what the plain reader makes of the address anyway
            StringBuilder line = new StringBuilder(node.target().address());
            if (NodeSyntax.isName(node.id())) {
                line.append(" name=").append(node.id());
            }
            new TreeMap<>(node.facts())
                    .forEach((key, value) ->
                            line.append(" fact.").append(key).append('=').append(value));
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
