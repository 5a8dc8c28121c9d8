package io.lazarus.coordinator.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plain inventory: one node per line, {@code [user@]host[:port] [name=ID] [fact.KEY=VALUE ...]}, {@code #}
 * comments, blank lines ignored. Every bad line is reported, not just the first, and a bad inventory yields no nodes at
 * all.
 */
public final class InventoryParser {

    private static final Pattern ADDRESS =
            Pattern.compile("(?:(?<user>\\S*)@)?(?:\\[(?<v6>[^]]*)]|(?<host>[^:\\[\\]]*))(?::(?<port>[^:]*))?");

    private final String defaultUser;
    private final int defaultPort;

    public InventoryParser(String defaultUser, int defaultPort) {
        this.defaultUser = defaultUser;
        this.defaultPort = defaultPort;
    }

    public List<InventoryNode> parse(Path file) throws InventoryException {
        return parse(file.toString(), InventoryText.read(file).lines().toList());
    }

    public List<InventoryNode> parse(String fileName, List<String> lines) throws InventoryException {
        List<String> problems = new ArrayList<>();
        List<InventoryNode> nodes = new ArrayList<>();
        Map<String, InventoryNode> byName = new HashMap<>();
        Map<String, InventoryNode> byAddress = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            InventoryNode.Source source = new InventoryNode.Source(fileName, i + 1);
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                InventoryNode node = parseLine(line, source);
                InventoryNode sameName = byName.putIfAbsent(node.id(), node);
                InventoryNode sameAddress = byAddress.putIfAbsent(node.host().toLowerCase() + ":" + node.port(), node);
                if (sameName != null) {
                    problems.add(source + ": duplicate node '" + node.id() + "' (first at line "
                            + sameName.source().line() + ")");
                } else if (sameAddress != null) {
                    problems.add(source + ": duplicate node " + node.host() + ":" + node.port() + " (first at line "
                            + sameAddress.source().line() + ")");
                } else {
                    nodes.add(node);
                }
            } catch (IllegalArgumentException e) {
                problems.add(source + ": " + e.getMessage());
            }
        }
        if (problems.isEmpty() && nodes.isEmpty()) {
            problems.add(fileName + ": no nodes (every line is blank or a comment)");
        }
        if (!problems.isEmpty()) {
            throw new InventoryException(problems);
        }
        return List.copyOf(nodes);
    }

    private InventoryNode parseLine(String line, InventoryNode.Source source) {
        String[] tokens = line.split("\\s+");
        Matcher address = ADDRESS.matcher(tokens[0]);
        if (!address.matches()) {
            throw new IllegalArgumentException("cannot read '" + tokens[0] + "' as [user@]host[:port]");
        }
        String user = address.group("user");
        if (user == null) {
            user = defaultUser;
        } else if (!NodeSyntax.isUser(user)) {
            throw new IllegalArgumentException("invalid user '" + user + "' in '" + tokens[0] + "'");
        }
        String host = address.group("v6") != null ? address.group("v6") : address.group("host");
        boolean v6 = address.group("v6") != null;
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in '" + tokens[0] + "'");
        }
        if (v6 ? !NodeSyntax.isIpv6(host) : !NodeSyntax.isHostName(host)) {
            throw new IllegalArgumentException("invalid host '" + host + "' in '" + tokens[0] + "'");
        }
        int port = port(address.group("port"), tokens[0]);

        String name = null;
        Map<String, String> facts = new HashMap<>();
        for (int t = 1; t < tokens.length; t++) {
            int eq = tokens[t].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "unexpected '" + tokens[t] + "' (expected name=ID after the address)");
            }
            String key = tokens[t].substring(0, eq);
            String value = tokens[t].substring(eq + 1);
            if (key.equals("name")) {
                if (name != null) {
                    throw new IllegalArgumentException("'name' given twice");
                }
                name = value;
            } else if (key.startsWith("fact.")) {
                String fact = key.substring("fact.".length());
                NodeSyntax.checkFact(fact, value);
                if (facts.put(fact, value) != null) {
                    throw new IllegalArgumentException("'" + key + "' given twice");
                }
            } else {
                throw new IllegalArgumentException("unknown attribute '" + key
                        + "' (supported: name); a fact is written" + " fact." + key + "=VALUE");
            }
        }
        if (name != null && !NodeSyntax.isName(name)) {
            throw new IllegalArgumentException("invalid name '" + name + "' (" + NodeSyntax.NAME_RULE + ")");
        }
        String id = name != null ? name : port == defaultPort ? host : host + ":" + port;
        return new InventoryNode(id, user, host, port, facts, source);
    }

    private int port(String text, String token) {
        if (text == null) {
            return defaultPort;
        }
        try {
            return NodeSyntax.port(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + token + "'");
        }
    }

    /** A '#' starts a comment at the start of a line or after white space. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
