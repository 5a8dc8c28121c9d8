package io.lazarus.coordinator.inventory;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Ansible's YAML inventory: groups ({@code all:} and any other) with {@code hosts}, {@code children} and {@code vars};
 * hosts with no value or a mapping of variables. Read as YAML nodes rather than objects so that every problem names
 * its line.
 */
final class YamlInventoryReader {

    private record Entry(String key, int line, Node value) {}

    private interface VarSink {
        void put(String key, String value, int line);
    }

    private final String file;
    private final AnsibleInventory inventory;
    private final SafeConstructor integers = new SafeConstructor(new LoaderOptions());
    private final Set<Node> groupsRead = Collections.newSetFromMap(new IdentityHashMap<>());

    YamlInventoryReader(String file, NodeDefaults defaults) {
        this.file = file;
        this.inventory = new AnsibleInventory(file, defaults);
    }

    ParsedInventory read(String text) throws InventoryException {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InventoryException(List.of(file + (mark == null ? "" : ":" + (mark.getLine() + 1))
                    + ": not YAML: " + (e.getProblem() != null ? e.getProblem() : e.getContext())));
        } catch (YAMLException e) {
            throw new InventoryException(List.of(file + ": not YAML: " + e.getMessage()));
        }
        if (isNull(root)) {
            throw new InventoryException(List.of(file + ": no hosts (the YAML document is empty)"));
        }
        rejectVault(root, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!(root instanceof MappingNode top)) {
            inventory.problem(line(root), "the top level must be a mapping of groups, such as all:");
            return inventory.resolve();
        }
        List<Entry> groups = entries(top);
        for (Entry entry : groups) {
            if (entry.key().equals("plugin")) {
                throw new InventoryException(List.of(file + ":" + entry.line() + ": an inventory plugin's configuration"
                        + " (plugin: " + text(entry.value()) + ") is not supported: Lazarus reads static inventories;"
                        + " export one with ansible-inventory -i THIS_FILE --list --yaml > hosts.yml"));
            }
        }
        groups.forEach(entry -> group(entry.key(), entry.line(), entry.value()));
        return inventory.resolve();
    }

    private void group(String name, int line, Node data) {
        inventory.group(name, line);
        if (isNull(data) || !inventory.hasGroup(name)) {
            return;
        }
        if (!(data instanceof MappingNode mapping)) {
            inventory.problem(line(data), "group '" + name + "' must be a mapping of hosts, children and vars");
            return;
        }
        // an alias can make a group its own child or repeat a subtree exponentially
        if (!groupsRead.add(mapping)) {
            inventory.problem(
                    line, "group '" + name + "' repeats a group's definition through a YAML alias; write it out");
            return;
        }
        for (Entry entry : entries(mapping)) {
            if (!List.of("hosts", "children", "vars").contains(entry.key())) {
                inventory.problem(
                        entry.line(),
                        "unexpected key '" + entry.key() + "' in group '" + name
                                + "': a group has hosts, children and vars (a host goes under hosts:)");
            } else if (!isNull(entry.value())) {
                switch (entry.key()) {
                    case "hosts" -> hosts(name, entry.value());
                    case "children" -> children(name, entry.value());
                    default -> vars(entry.value(), (key, value, at) -> inventory.groupVar(name, key, value, at));
                }
            }
        }
    }

    private void hosts(String group, Node hosts) {
        if (hosts instanceof ScalarNode host) {
            inventory.addHosts(group, host.getValue(), line(host));
        } else if (hosts instanceof MappingNode mapping) {
            for (Entry entry : entries(mapping)) {
                List<String> names = inventory.addHosts(group, entry.key(), entry.line());
                if (entry.value() instanceof MappingNode) {
                    vars(entry.value(), (key, value, at) -> inventory.hostVar(names, key, value, at));
                } else if (!isNull(entry.value())) {
                    inventory.problem(
                            line(entry.value()),
                            "host '" + entry.key() + "' must have a mapping of variables or nothing");
                }
            }
        } else {
            inventory.problem(
                    line(hosts),
                    "the hosts of group '" + group + "' must be a mapping (host: or"
                            + " host: {variables}), not a list");
        }
    }

    private void children(String parent, Node children) {
        List<Entry> entries = children instanceof ScalarNode child
                ? List.of(new Entry(child.getValue(), line(child), null))
                : children instanceof MappingNode mapping ? entries(mapping) : null;
        if (entries == null) {
            inventory.problem(
                    line(children), "the children of group '" + parent + "' must be a mapping of groups, not a list");
            return;
        }
        for (Entry entry : entries) {
            group(entry.key(), entry.line(), entry.value());
            if (inventory.hasGroup(entry.key())) {
                inventory.addChild(parent, entry.key(), entry.line());
            }
        }
    }

    private void vars(Node vars, VarSink sink) {
        if (!(vars instanceof MappingNode mapping)) {
            inventory.problem(line(vars), "variables must be a mapping");
            return;
        }
        for (Entry entry : entries(mapping)) {
            if (!AnsibleVars.isConnectionVar(entry.key())) {
                inventory.dropped(entry.key());
                continue;
            }
            if (entry.value() instanceof ScalarNode scalar && !isNull(scalar)) {
                sink.put(entry.key(), value(scalar), entry.line());
            } else {
                inventory.problem(entry.line(), entry.key() + " must have a single value");
            }
        }
    }

    /** A mapping's entries; keys that are not plain names, merge keys and duplicate keys are problems. */
    private List<Entry> entries(MappingNode mapping) {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            int line = line(key);
            if (key.getTag().equals(Tag.MERGE)) {
                inventory.problem(line, "merge keys (<<) are not supported; write the entries out");
            } else if (!(key instanceof ScalarNode scalar) || isNull(scalar)) {
                inventory.problem(line, "a key must be a name");
            } else if (seen.putIfAbsent(scalar.getValue(), line) != null) {
                inventory.problem(
                        line,
                        "duplicate key '" + scalar.getValue() + "' (first at line " + seen.get(scalar.getValue())
                                + ")");
            } else {
                entries.add(new Entry(scalar.getValue(), line, tuple.getValueNode()));
            }
        }
        return entries;
    }

    private void rejectVault(Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node.getTag().getValue().equals("!vault")) {
            inventory.problem(
                    line(node),
                    "an encrypted value (!vault) is not supported: Lazarus cannot decrypt vault"
                            + " and takes no secrets from inventories; keep vaulted variables in group_vars/ or host_vars/");
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                rejectVault(tuple.getKeyNode(), seen);
                rejectVault(tuple.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> rejectVault(item, seen));
        }
    }

    /**
     * The scalar as Ansible's PyYAML reads it, as text: YAML 1.1 integers are numbers ({@code 022} is octal 18,
     * {@code 0x16} is 22, {@code 1_000} is 1000, {@code 1:20} is 80), which SnakeYAML resolves by the same rules.
     */
    private String value(ScalarNode scalar) {
        return scalar.getTag().equals(Tag.INT)
                ? integers.new ConstructYamlInt().construct(scalar).toString()
                : scalar.getValue();
    }

    private static boolean isNull(Node node) {
        return node == null || node.getTag().equals(Tag.NULL);
    }

    private static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : "...";
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
