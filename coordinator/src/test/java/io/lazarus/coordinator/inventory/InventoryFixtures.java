package io.lazarus.coordinator.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The test fleets, and inventories read with {@code --user root --port 22}. */
final class InventoryFixtures {

    static final NodeDefaults DEFAULTS = new NodeDefaults("root", 22);

    private InventoryFixtures() {}

    static String resource(String name) {
        try (InputStream in = InventoryFixtures.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<InventoryNode> parse(String file, String text) throws InventoryException {
        return Inventories.parse(file, text, DEFAULTS, null);
    }

    static List<InventoryNode> parse(String file, String text, String limit) throws InventoryException {
        return Inventories.parse(file, text, DEFAULTS, limit);
    }

    static List<String> ids(List<InventoryNode> nodes) {
        return nodes.stream().map(InventoryNode::id).toList();
    }

    /** {@code id user@host:port} of each node. */
    static List<String> connections(List<InventoryNode> nodes) {
        return nodes.stream()
                .map(node -> node.id() + " " + node.target().address())
                .toList();
    }

    /** The problems of an inventory that must be refused. */
    static List<String> problems(String file, String text) {
        try {
            parse(file, text);
        } catch (InventoryException e) {
            return e.problems();
        }
        throw new AssertionError(file + " was accepted:\n" + text);
    }
}
