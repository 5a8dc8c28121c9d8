package io.lazarus.coordinator.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one way in to an inventory, whatever its format (see {@link InventoryFormat}): plain, Ansible INI or Ansible
 * YAML, narrowed by an Ansible limit pattern.
 */
public final class Inventories {

    private Inventories() {}

    public static List<InventoryNode> read(Path file, NodeDefaults defaults, String limit) throws InventoryException {
        return parse(file.toString(), InventoryText.read(file), defaults, limit);
    }

    /** An inventory file's text, or why it cannot be read. */
    public static String text(Path file) throws InventoryException {
        return InventoryText.read(file);
    }

    /** The selected nodes, and the inventory as the registry may keep it. */
    public static Selected select(Path file, NodeDefaults defaults, String limit) throws InventoryException {
        return select(file.toString(), InventoryText.read(file), defaults, limit);
    }

    /**
     * @param limit Ansible's host pattern ({@code webservers:&atlanta:!db*}); null or blank for every node
     * @throws LimitException when the inventory is good but the limit is not
     */
    public static List<InventoryNode> parse(String fileName, String text, NodeDefaults defaults, String limit)
            throws InventoryException {
        return select(fileName, text, defaults, limit).nodes();
    }

    public static Selected select(String fileName, String text, NodeDefaults defaults, String limit)
            throws InventoryException {
        List<String> lines = text.lines().toList();
        ParsedInventory inventory = switch (InventoryFormat.detect(fileName, lines)) {
            case PLAIN ->
                ParsedInventory.ungrouped(new InventoryParser(defaults.user(), defaults.port()).parse(fileName, lines));
            case INI -> new IniInventoryReader(fileName, defaults).read(lines);
            case YAML -> new YamlInventoryReader(fileName, defaults).read(text);
        };
        checkLengths(inventory);
        Set<String> chosen = Limit.select(fileName, inventory, limit);
        List<String> refusals = inventory.refusals(chosen).stream()
                .map(refusal -> fileName + ":" + refusal.line() + ": " + refusal.problem())
                .toList();
        if (!refusals.isEmpty()) {
            throw new InventoryException(refusals);
        }
        List<InventoryNode> nodes = inventory.nodes().stream()
                .filter(node -> chosen.contains(node.id()))
                .toList();
        checkDuplicates(nodes);
        List<String> warnings = new ArrayList<>(inventory.warnings());
        Set<String> left = new LinkedHashSet<>(inventory.refused().keySet());
        left.removeAll(chosen);
        inventory.refusals(left).stream()
                .map(refusal -> fileName + ":" + refusal.line() + ": " + refusal.problem()
                        + " (ignored: the limit leaves out every host it concerns)")
                .forEach(warnings::add);
        return new Selected(nodes, inventory.dropped(), warnings);
    }

    /**
     * Nodes chosen from an inventory.
     *
     * @param droppedVariables names of the inventory's variables Lazarus has no use for (a playbook's
     *                         {@code db_password}): never stored
     * @param warnings         {@code file:line: what}: what Ansible warns about, and what would be refused on hosts
     *                         the limit leaves out
     */
    public record Selected(List<InventoryNode> nodes, Set<String> droppedVariables, List<String> warnings) {

        public Selected {
            droppedVariables = Set.copyOf(new java.util.TreeSet<>(droppedVariables));
            warnings = List.copyOf(warnings);
        }

        /** What the registry keeps of the inventory: see {@link StoredInventory}. */
        public String stored() {
            return StoredInventory.render(nodes, droppedVariables);
        }
    }

    /** The registry's columns: a node that would not fit is refused with its line, never at the database. */
    static final int MAX_NODE_ID = 128;

    static final int MAX_HOST = 255;
    static final int MAX_USER = 64;

    /** Two selected hostnames with one address and port would be one machine installed on twice. */
    private static void checkDuplicates(List<InventoryNode> nodes) throws InventoryException {
        List<String> problems = new ArrayList<>();
        Map<String, InventoryNode> byAddress = new HashMap<>();
        for (InventoryNode node : nodes) {
            InventoryNode first = byAddress.putIfAbsent(node.host().toLowerCase(Locale.ROOT) + ":" + node.port(), node);
            if (first != null) {
                problems.add(node.source() + ": duplicate node " + node.host() + ":" + node.port() + " (first at line "
                        + first.source().line() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
    }

    private static void checkLengths(ParsedInventory inventory) throws InventoryException {
        List<String> problems = new ArrayList<>();
        for (InventoryNode node : inventory.nodes()) {
            if (node.id().length() > MAX_NODE_ID) {
                problems.add(node.source() + ": node id '" + node.id().substring(0, 32) + "...' is "
                        + node.id().length() + " characters long, longer than " + MAX_NODE_ID
                        + "; give it a shorter name");
            }
            if (node.host().length() > MAX_HOST) {
                problems.add(node.source() + ": host '" + node.host().substring(0, 32) + "...' is longer than "
                        + MAX_HOST + " characters");
            }
            if (node.user().length() > MAX_USER) {
                problems.add(node.source() + ": user '" + node.user().substring(0, 32) + "...' is longer than "
                        + MAX_USER + " characters");
            }
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
    }
}
