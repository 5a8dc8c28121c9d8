package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory: {@code [group]}, {@code [group:children]} and {@code [group:vars]} sections; host lines
 * {@code pattern [key=value ...]} split as a shell would (quotes, {@code #} comments); hosts before any section in
 * {@code ungrouped}; lines starting with {@code #} or {@code ;} are comments. Values are read as Ansible reads them,
 * as Python literals ({@link PythonLiteral}).
 */
final class IniInventoryReader {

    private static final Pattern SECTION = Pattern.compile("\\[([^:\\]\\s]+)(?::(\\w+))?]\\s*(?:[#;].*)?");
    private static final Pattern GROUP_NAME = Pattern.compile("([^:\\]\\s]+)\\s*(?:[#;].*)?");

    private record Reference(String section, int line) {}

    private final AnsibleInventory inventory;
    private final Map<String, Integer> defined = new LinkedHashMap<>();
    private final Map<String, Reference> referenced = new LinkedHashMap<>();
    private String group = AnsibleInventory.UNGROUPED;
    private String kind = "hosts";

    IniInventoryReader(String file, NodeDefaults defaults) {
        inventory = new AnsibleInventory(file, defaults);
        defined.put(AnsibleInventory.ALL, 0);
        defined.put(AnsibleInventory.UNGROUPED, 0);
    }

    ParsedInventory read(List<String> lines) throws InventoryException {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith(";")) {
                try {
                    read(line, i + 1);
                } catch (IllegalArgumentException e) {
                    inventory.problem(i + 1, e.getMessage());
                }
            }
        }
        referenced.forEach((name, reference) -> {
            if (!defined.containsKey(name)) {
                inventory.problem(
                        reference.line(),
                        reference.section() + " names group '" + name + "', which no section defines");
            }
        });
        return inventory.resolve();
    }

    private void read(String line, int number) {
        Matcher section = SECTION.matcher(line);
        if (section.matches()) {
            group = section.group(1);
            kind = section.group(2) == null ? "hosts" : section.group(2);
            inventory.group(group, number);
            switch (kind) {
                case "hosts", "children" -> defined.putIfAbsent(group, number);
                case "vars" -> referenced.putIfAbsent(group, new Reference("[" + group + ":vars]", number));
                default ->
                    throw new IllegalArgumentException(
                            "section [" + group + ":" + kind + "] has an unknown type (hosts, children, vars)");
            }
            return;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
            throw new IllegalArgumentException(
                    "invalid section '" + line + "' (no white space in [group] or [group:type])");
        }
        if (!inventory.hasGroup(group)) {
            return;
        }
        switch (kind) {
            case "hosts" -> hosts(line, number);
            case "children" -> child(line, number);
            case "vars" -> variable(line, number);
            default -> {
                // the section's unknown type is reported once, at the section
            }
        }
    }

    private void hosts(String line, int number) {
        List<String> tokens = tokens(line);
        if (tokens.isEmpty()) {
            return;
        }
        List<String> names = inventory.addHosts(group, tokens.getFirst(), number);
        for (String token : tokens.subList(1, tokens.size())) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value after the host, got '" + token + "'");
            }
            inventory.hostVar(names, token.substring(0, eq), PythonLiteral.evaluated(token.substring(eq + 1)), number);
        }
    }

    private void child(String line, int number) {
        Matcher name = GROUP_NAME.matcher(line);
        if (!name.matches()) {
            throw new IllegalArgumentException("expected a group name in [" + group + ":children], got '" + line + "'");
        }
        String child = name.group(1);
        inventory.group(child, number);
        if (inventory.hasGroup(child)) {
            referenced.putIfAbsent(child, new Reference("[" + group + ":children]", number));
            inventory.addChild(group, child, number);
        }
    }

    /** As Ansible's INI plugin: the whole rest of the line is the value, evaluated as a Python literal. */
    private void variable(String line, int number) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value in [" + group + ":vars], got '" + line + "'");
        }
        inventory.groupVar(
                group,
                line.substring(0, eq).strip(),
                PythonLiteral.evaluated(line.substring(eq + 1).strip()),
                number);
    }

    /** Python's shlex.split(line, comments=True), which Ansible uses for host lines, for what inventories hold. */
    private static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c) || c == '#') {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
                if (c == '#') {
                    break;
                }
                continue;
            }
            token = token == null ? new StringBuilder() : token;
            if (c == '"' || c == '\'') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("no closing quotation in '" + line + "'");
                }
                token.append(line, i + 1, close);
                i = close;
            } else if (c == '\\' && i + 1 < line.length()) {
                token.append(line.charAt(++i));
            } else {
                token.append(c);
            }
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
