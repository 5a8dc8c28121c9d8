package io.lazarus.coordinator.inventory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An inventory's nodes in its order, and the ids of each group's nodes (its children's included), for a limit.
 *
 * @param dropped names of the variables Lazarus has no use for
 */
record ParsedInventory(List<InventoryNode> nodes, Map<String, Set<String>> groups, Set<String> dropped) {

    ParsedInventory {
        dropped = Set.copyOf(dropped);
    }

    ParsedInventory(List<InventoryNode> nodes, Map<String, Set<String>> groups) {
        this(nodes, groups, Set.of());
    }

    /** A plain inventory has only Ansible's implicit groups. */
    static ParsedInventory ungrouped(List<InventoryNode> nodes) {
        Set<String> ids = nodes.stream().map(InventoryNode::id).collect(Collectors.toCollection(LinkedHashSet::new));
        return new ParsedInventory(nodes, Map.of(AnsibleInventory.ALL, ids, AnsibleInventory.UNGROUPED, ids));
    }
}
