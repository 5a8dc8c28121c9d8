package io.lazarus.common.contract;

import java.util.Map;

/**
 * Where to install: one node of the fleet.
 *
 * @param id         unique within a run (the inventory name, or host[:port])
 * @param facts      optional facts about the node (cloud instance id, type, zone...), reported back unchanged
 */
public record NodeTarget(String id, String host, int port, String user, Map<String, String> facts) {

    public NodeTarget {
        Contracts.require(id, "node.id");
        Contracts.require(host, "node.host");
        Contracts.require(user, "node.user");
        if (port < 1 || port > 65535) {
            throw new InvalidField("node.port", "must be 1..65535, was " + port);
        }
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    public NodeTarget(String id, String host, int port, String user) {
        this(id, host, port, user, Map.of());
    }

    /** {@code user@host:port}, as shown to people. */
    public String address() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
