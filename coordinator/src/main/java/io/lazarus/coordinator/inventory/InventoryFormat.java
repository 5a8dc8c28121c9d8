package io.lazarus.coordinator.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inventory's format, told by its content, never by its file name: YAML when the first line that is not blank or a
 * comment is {@code ---}, a list item or starts with a mapping key ({@code all:}, {@code plugin: aws_ec2}); Ansible
 * INI when a line is a section ({@code [web]}, {@code [web:vars]}: any bracketed line but an IPv6 address) or carries
 * an {@code ansible_*=} variable. Otherwise plain when a line uses what only the plain format has ({@code user@host},
 * {@code name=ID}, {@code fact.KEY=VALUE}, a bare {@code [IPv6]}, one host on two lines with two ports); else Ansible
 * INI, as Ansible reads any such file ({@code badwolf.example.com:5309} is host {@code badwolf.example.com}, port
 * 5309, where the plain format would name the node {@code badwolf.example.com:5309}). Content that reads as two
 * formats is refused with both lines named rather than guessed at.
 */
enum InventoryFormat {
    PLAIN,
    INI,
    YAML;

    private static final Pattern YAML_START =
            Pattern.compile("(?:---|-|[\"']?[A-Za-z0-9_][^\\s:=@\\[\\]{}\"']*[\"']?:)(?:\\s.*)?");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^]]*)]\\s*(?:[#;].*)?");
    private static final Pattern ANSIBLE_VARIABLE = Pattern.compile("(?:^|\\s)ansible_\\w*=");
    private static final Pattern PLAIN_ONLY = Pattern.compile("^[^\\s=]*@|\\sfact\\.\\S*=");
    /** Plain syntax Ansible INI reads otherwise, but that an INI inventory has no reason to hold. */
    private static final Pattern PLAIN_LEANING = Pattern.compile("\\sname=|^\\[[^]]*]\\s*(?:#.*)?$");

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]*]|[^\\s:\\[\\]]+):([0-9]+)(?:\\s.*)?");

    static InventoryFormat detect(String file, List<String> lines) throws InventoryException {
        if (!lines.isEmpty() && lines.getFirst().startsWith("#!")) {
            throw refused(
                    file,
                    1,
                    "a dynamic inventory script is not supported: Lazarus reads static inventories;"
                            + " export one with ansible-inventory -i SCRIPT --list --yaml > hosts.yml");
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("$ANSIBLE_VAULT")) {
            throw refused(
                    file,
                    1,
                    "a vault-encrypted inventory is not supported: Lazarus cannot decrypt vault and takes"
                            + " no secrets from inventories");
        }
        int first = -1;
        int ini = -1;
        int plainOnly = -1;
        boolean plainLeaning = false;
        Map<String, String> ports = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            first = first < 0 ? i : first;
            if (ini < 0 && (isSection(line) || ANSIBLE_VARIABLE.matcher(line).find())) {
                ini = i;
            }
            if (plainOnly < 0 && PLAIN_ONLY.matcher(line).find()) {
                plainOnly = i;
            }
            plainLeaning |= PLAIN_LEANING.matcher(line).find() || otherPort(line, ports);
        }
        if (first < 0) {
            return PLAIN;
        }
        String start = lines.get(first).strip();
        if (start.startsWith("{")) {
            throw refused(
                    file,
                    first + 1,
                    "JSON inventories (a dynamic inventory's output) are not supported; export"
                            + " YAML with ansible-inventory -i SOURCE --list --yaml > hosts.yml");
        }
        boolean yaml = YAML_START.matcher(start).matches();
        if (yaml && ini >= 0) {
            throw ambiguous(file, lines, first, "YAML", ini, "Ansible INI");
        }
        if (ini >= 0 && plainOnly >= 0) {
            throw ambiguous(
                    file,
                    lines,
                    ini,
                    "Ansible INI",
                    plainOnly,
                    "the plain format (user@host, fact.KEY=VALUE);" + " in INI write host ansible_user=USER");
        }
        return yaml ? YAML : ini >= 0 ? INI : plainOnly >= 0 || plainLeaning ? PLAIN : INI;
    }

    /**
     * Whether the line's {@code host:port} names a host an earlier line gave another port: several nodes on one
     * machine in the plain format, one host (the last port) for Ansible.
     */
    private static boolean otherPort(String line, Map<String, String> ports) {
        Matcher hostPort = HOST_PORT.matcher(line);
        if (!hostPort.matches()) {
            return false;
        }
        String known = ports.putIfAbsent(hostPort.group(1).toLowerCase(Locale.ROOT), hostPort.group(2));
        return known != null && !known.equals(hostPort.group(2));
    }

    /** Any bracketed line but an IPv6 address, so that a malformed section is reported by the INI reader. */
    private static boolean isSection(String line) {
        Matcher bracketed = BRACKETED.matcher(line);
        return bracketed.matches() && !NodeSyntax.isIpv6Address(bracketed.group(1));
    }

    private static InventoryException refused(String file, int line, String what) {
        return new InventoryException(List.of(file + ":" + line + ": " + what));
    }

    private static InventoryException ambiguous(
            String file, List<String> lines, int one, String oneFormat, int other, String otherFormat) {
        return refused(
                file,
                Math.max(one, other) + 1,
                "cannot tell the inventory's format: line " + (one + 1) + " ('"
                        + lines.get(one).strip() + "') reads as " + oneFormat + ", line " + (other + 1) + " ('"
                        + lines.get(other).strip() + "') as " + otherFormat);
    }
}
