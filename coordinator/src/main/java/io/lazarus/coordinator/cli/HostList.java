package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.inventory.ListedNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code run --list-hosts}: the nodes a run would touch, in the order it would release them (a canary is the first of
 * them), one per line as {@code id user@address:port key=value...}, or as JSON; nothing is read from or sent to the
 * broker, nothing is recorded.
 */
final class HostList {

    private HostList() {}

    static void print(List<InventoryNode> nodes, PrintStream out) {
        nodes.forEach(node -> out.println(line(node)));
        out.flush();
    }

    static void writeJson(List<InventoryNode> nodes, Path json) throws IOException {
        byte[] body = Contracts.mapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(nodes.stream().map(ListedNode::of).toList());
        if (Reports.STDOUT.equals(json)) {
            System.out.write(body);
            System.out.println();
            System.out.flush();
        } else {
            Files.write(json, body);
        }
    }

    static String line(InventoryNode node) {
        String facts = new TreeMap<>(node.facts())
                .entrySet().stream()
                        .map(e -> " " + e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining());
        return node.id() + " " + node.target().address() + facts;
    }
}
