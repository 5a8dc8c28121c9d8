package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An inventory's hosts in its order: those that make nodes and those refused, with why, so that a refusal stops a run
 * only when the run selects its host. The ids of each group's hosts (its children's included) are kept for a limit.
 *
 * @param refused  each refused host's problems, {@code file:line: what}
 * @param dropped  names of the variables Lazarus has no use for
 * @param warnings what Ansible would warn about ({@code file:line: what})
 */
record ParsedInventory(
        List<InventoryNode> nodes,
        Map<String, List<Refusal>> refused,
        Map<String, Set<String>> groups,
        Set<String> dropped,
        List<String> warnings) {

    /** Why a host cannot be a node, with the line at fault (a group's variable for every host of the group). */
    record Refusal(int line, String problem) {}

    ParsedInventory {
        nodes = List.copyOf(nodes);
        refused = Map.copyOf(refused);
        dropped = Set.copyOf(dropped);
        warnings = List.copyOf(warnings);
    }

    /** A plain inventory has only Ansible's implicit groups, and refuses any bad line whatever the limit. */
    static ParsedInventory ungrouped(List<InventoryNode> nodes) {
        Set<String> ids = nodes.stream().map(InventoryNode::id).collect(Collectors.toCollection(LinkedHashSet::new));
        return new ParsedInventory(
                nodes,
                Map.of(),
                Map.of(AnsibleInventory.ALL, ids, AnsibleInventory.UNGROUPED, ids),
                Set.of(),
                List.of());
    }

    /** Every host's name, the refused ones' included: what a limit matches. */
    Set<String> hosts() {
        Set<String> hosts = new LinkedHashSet<>(groups.getOrDefault(AnsibleInventory.ALL, Set.of()));
        nodes.forEach(node -> hosts.add(node.id()));
        hosts.addAll(refused.keySet());
        return hosts;
    }

    /** The selected hosts' refusals, once each, in line order. */
    List<Refusal> refusals(Set<String> selected) {
        List<Refusal> refusals = new ArrayList<>();
        selected.stream()
                .map(host -> refused.getOrDefault(host, List.of()))
                .flatMap(List::stream)
                .distinct()
                .forEach(refusals::add);
        refusals.sort(java.util.Comparator.comparingInt(Refusal::line));
        return refusals;
    }
}
