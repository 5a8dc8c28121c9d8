package io.lazarus.coordinator.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        return new Selected(Limit.select(fileName, inventory, limit), inventory.dropped());
    }

    /**
     * Nodes chosen from an inventory.
     *
     * @param droppedVariables names of the inventory's variables Lazarus has no use for (a playbook's
     *                         {@code db_password}): never stored
     */
    public record Selected(List<InventoryNode> nodes, java.util.Set<String> droppedVariables) {

        public Selected {
            droppedVariables = java.util.Set.copyOf(new java.util.TreeSet<>(droppedVariables));
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
