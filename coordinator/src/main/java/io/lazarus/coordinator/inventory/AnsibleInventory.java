package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An Ansible inventory as its INI or YAML reader finds it: groups with their children and variables, hosts with their
 * groups and variables. Problems are kept with their line so that all of them are reported at once; {@link #resolve}
 * turns the rest into nodes, each host once, its variables merged as Ansible does.
 */
final class AnsibleInventory {

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    private record Var(String value, int line) {}

    private record Problem(int line, String what) {}

    private static final class Group {
        final String name;
        final Map<String, Integer> children = new LinkedHashMap<>();
        final Set<String> parents = new LinkedHashSet<>();
        final Map<String, Var> vars = new HashMap<>();
        /** Refused variables: they refuse every host of the group, and only those. */
        final List<ParsedInventory.Refusal> refusals = new ArrayList<>();

        Group(String name) {
            this.name = name;
        }
    }

    private static final class Host {
        final String name;
        final int line;
        final Set<String> groups = new LinkedHashSet<>();
        final Map<String, Var> vars = new HashMap<>();
        final List<ParsedInventory.Refusal> refusals = new ArrayList<>();

        Host(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private final String file;
    private final NodeDefaults defaults;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    /** Variables Lazarus has no use for (the playbooks'): not kept, named in the run's stored inventory. */
    private final java.util.Set<String> dropped = new java.util.TreeSet<>();

    AnsibleInventory(String file, NodeDefaults defaults) {
        this.file = file;
        this.defaults = defaults;
        groups.put(ALL, new Group(ALL));
        groups.put(UNGROUPED, new Group(UNGROUPED));
    }

    void problem(int line, String what) {
        problems.add(new Problem(line, what));
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    void group(String name, int line) {
        try {
            AnsibleVars.rejectTemplate("group name", name);
            groups.computeIfAbsent(name, Group::new);
        } catch (IllegalArgumentException e) {
            problem(line, e.getMessage());
        }
    }

    /** Adds the hosts of a pattern to a group that exists; returns their names, none when the pattern is bad. */
    List<String> addHosts(String group, String pattern, int line) {
        HostRanges.Expansion expansion;
        try {
            AnsibleVars.rejectTemplate("host", pattern);
            expansion = HostRanges.expand(pattern);
        } catch (IllegalArgumentException e) {
            problem(line, e.getMessage());
            return List.of();
        }
        for (String name : expansion.names()) {
            Host host = hosts.computeIfAbsent(name, n -> new Host(n, line));
            host.groups.add(group);
            if (expansion.port() != null) {
                host.vars.put(AnsibleVars.PORT, new Var(expansion.port().toString(), line));
            }
        }
        return expansion.names();
    }

    void hostVar(List<String> names, String key, String value, int line) {
        List<Host> named = names.stream().map(hosts::get).toList();
        kept(key, value, line, refusal -> named.forEach(host -> host.refusals.add(refusal)))
                .ifPresent(name -> named.forEach(host -> host.vars.put(name, new Var(value, line))));
    }

    void groupVar(String group, String key, String value, int line) {
        Group target = groups.get(group);
        kept(key, value, line, target.refusals::add).ifPresent(name -> target.vars.put(name, new Var(value, line)));
    }

    private Optional<String> kept(
            String key, String value, int line, java.util.function.Consumer<ParsedInventory.Refusal> refused) {
        try {
            Optional<String> name = AnsibleVars.accept(key, value);
            if (name.isEmpty()) {
                dropped.add(key);
            }
            return name;
        } catch (IllegalArgumentException e) {
            refused.accept(new ParsedInventory.Refusal(line, e.getMessage()));
            return Optional.empty();
        }
    }

    void dropped(String key) {
        dropped.add(key);
    }

    /** Both groups exist. */
    void addChild(String parent, String child, int line) {
        if (child.equals(ALL)) {
            problem(line, "'all' cannot be a child group: every group is already in it");
            return;
        }
        groups.get(parent).children.putIfAbsent(child, line);
        groups.get(child).parents.add(parent);
    }

    ParsedInventory resolve() throws InventoryException {
        if (reportCycles()) {
            throw failure();
        }
        for (Group group : groups.values()) {
            if (!group.name.equals(ALL) && group.parents.isEmpty()) {
                addChild(ALL, group.name, 0);
            }
        }
        for (Host host : hosts.values()) {
            if (host.groups.stream().allMatch(g -> g.equals(ALL) || g.equals(UNGROUPED))) {
                host.groups.add(UNGROUPED);
            } else {
                host.groups.remove(UNGROUPED);
            }
        }
        Map<String, Integer> depths = new HashMap<>();
        Comparator<Group> precedence = Comparator.<Group>comparingInt(g -> depth(g.name, depths))
                .thenComparingInt(g -> Integer.parseInt(value(g.vars, AnsibleVars.PRIORITY, "1")))
                .thenComparing(g -> g.name);
        List<InventoryNode> nodes = new ArrayList<>();
        Map<String, List<ParsedInventory.Refusal>> refused = new HashMap<>();
        for (Host host : hosts.values()) {
            Map<String, Var> vars = new HashMap<>();
            List<ParsedInventory.Refusal> refusals = new ArrayList<>(host.refusals);
            ancestry(host).stream().sorted(precedence).forEach(g -> {
                vars.putAll(g.vars);
                refusals.addAll(g.refusals);
            });
            vars.putAll(host.vars);
            if (refusals.isEmpty()) {
                node(host, vars, refusals).ifPresent(nodes::add);
            }
            if (!refusals.isEmpty()) {
                refused.put(host.name, refusals);
            }
        }
        if (problems.isEmpty() && hosts.isEmpty()) {
            problem(0, "no hosts (none of its groups has any)");
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        return new ParsedInventory(nodes, refused, members(), dropped, warnings());
    }

    /** Ansible warns of a group and a host of the same name: a limit naming it selects the host. */
    private List<String> warnings() {
        return hosts.values().stream()
                .filter(host -> groups.containsKey(host.name))
                .map(host -> file + ":" + host.line + ": found both group and host with same name: " + host.name
                        + " (a limit naming it selects the host, as in Ansible)")
                .toList();
    }

    /**
     * The host as a node, or empty with why in {@code refusals}. As Ansible's ssh connection reads them,
     * {@code ansible_ssh_host}, {@code _port} and {@code _user} beat {@code ansible_host}, {@code _port} and
     * {@code _user} whatever the level each is set at.
     */
    private Optional<InventoryNode> node(Host host, Map<String, Var> vars, List<ParsedInventory.Refusal> refusals) {
        String address = value(vars, AnsibleVars.SSH_HOST, value(vars, AnsibleVars.HOST, host.name));
        if (!NodeSyntax.isName(host.name) && !NodeSyntax.isIpv6(host.name)) {
            refusals.add(new ParsedInventory.Refusal(
                    host.line, "host '" + host.name + "' cannot be a node id (" + NodeSyntax.NAME_RULE + ")"));
            return Optional.empty();
        }
        if (!NodeSyntax.isHost(address)) {
            refusals.add(new ParsedInventory.Refusal(
                    host.line, "host '" + host.name + "' is not a host name or IP address: give it an ansible_host"));
            return Optional.empty();
        }
        String port = value(vars, AnsibleVars.SSH_PORT, value(vars, AnsibleVars.PORT, null));
        return Optional.of(new InventoryNode(
                host.name,
                value(vars, AnsibleVars.SSH_USER, value(vars, AnsibleVars.USER, defaults.user())),
                address,
                port == null ? defaults.port() : NodeSyntax.port(port),
                Map.of(),
                new InventoryNode.Source(file, host.line)));
    }

    private static String value(Map<String, Var> vars, String name, String fallback) {
        Var var = vars.get(name);
        return var == null ? fallback : var.value();
    }

    private boolean reportCycles() {
        Set<String> visited = new HashSet<>();
        boolean found = false;
        for (String name : groups.keySet()) {
            found |= cycleFrom(name, new ArrayList<>(), visited);
        }
        return found;
    }

    private boolean cycleFrom(String name, List<String> path, Set<String> visited) {
        int at = path.indexOf(name);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(name);
            problem(
                    groups.get(path.getLast()).children.get(name),
                    "children form a cycle: " + String.join(" -> ", cycle));
            return true;
        }
        if (!visited.add(name)) {
            return false;
        }
        path.add(name);
        boolean found = false;
        for (String child : groups.get(name).children.keySet()) {
            found |= cycleFrom(child, path, visited);
        }
        path.removeLast();
        return found;
    }

    /** Ansible's group depth: the longest way down from {@code all}. */
    private int depth(String name, Map<String, Integer> depths) {
        Integer known = depths.get(name);
        if (known != null) {
            return known;
        }
        int depth = 0;
        for (String parent : groups.get(name).parents) {
            depth = Math.max(depth, depth(parent, depths) + 1);
        }
        depths.put(name, depth);
        return depth;
    }

    private Set<Group> ancestry(Host host) {
        Set<Group> ancestry = new HashSet<>();
        List<String> pending = new ArrayList<>(host.groups);
        while (!pending.isEmpty()) {
            Group group = groups.get(pending.removeLast());
            if (ancestry.add(group)) {
                pending.addAll(group.parents);
            }
        }
        return ancestry;
    }

    private Set<String> family(String name) {
        Set<String> family = new HashSet<>();
        List<String> pending = new ArrayList<>(List.of(name));
        while (!pending.isEmpty()) {
            String group = pending.removeLast();
            if (family.add(group)) {
                pending.addAll(groups.get(group).children.keySet());
            }
        }
        return family;
    }

    /** Every group's hosts, its children's included. */
    private Map<String, Set<String>> members() {
        Map<String, Set<String>> members = new LinkedHashMap<>();
        for (String group : groups.keySet()) {
            Set<String> family = family(group);
            members.put(
                    group,
                    hosts.values().stream()
                            .filter(h -> !Collections.disjoint(h.groups, family))
                            .map(h -> h.name)
                            .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        return members;
    }

    /** Every problem at once, the variables refused on hosts and groups included, whatever a limit would select. */
    private InventoryException failure() {
        hosts.values().forEach(host -> host.refusals.forEach(r -> problem(r.line(), r.problem())));
        groups.values().forEach(group -> group.refusals.forEach(r -> problem(r.line(), r.problem())));
        return new InventoryException(problems.stream()
                .distinct()
                .sorted(Comparator.comparingInt(Problem::line))
                .map(p -> p.line() == 0 ? file + ": " + p.what() : file + ":" + p.line() + ": " + p.what())
                .toList());
    }
}
