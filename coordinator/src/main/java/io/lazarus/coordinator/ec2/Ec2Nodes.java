package io.lazarus.coordinator.ec2;

import io.lazarus.coordinator.inventory.InventoryNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Instances as nodes: the instance id names the node, the chosen address reaches it, the rest travels as facts. An
 * instance without the chosen address is kept aside, to be reported, never dropped unseen.
 */
public record Ec2Nodes(List<InventoryNode> nodes, List<Ec2Instance> unaddressable, AddressKind address) {

    public static Ec2Nodes of(List<Ec2Instance> instances, AddressKind address, String user, int port) {
        List<InventoryNode> nodes = new ArrayList<>();
        List<Ec2Instance> unaddressable = new ArrayList<>();
        for (Ec2Instance instance : instances) {
            String host = instance.address(address);
            if (host == null || host.isEmpty()) {
                unaddressable.add(instance);
            } else {
                nodes.add(new InventoryNode(
                        instance.id(),
                        user,
                        host,
                        port,
                        instance.facts(),
                        new InventoryNode.Source("ec2", nodes.size() + 1)));
            }
        }
        return new Ec2Nodes(List.copyOf(nodes), List.copyOf(unaddressable), address);
    }

    /** The nodes as inventory lines. */
    public List<Ec2Inventory.Line> lines() {
        return nodes.stream()
                .map(n -> new Ec2Inventory.Line(n.user(), n.host(), n.port(), n.id(), n.facts()))
                .toList();
    }

    /** One line per instance left out: {@code i-0abc has no public address}. */
    public List<String> unaddressableLines() {
        return unaddressable.stream()
                .map(i -> i.describe() + " has no " + address.label() + " address")
                .toList();
    }
}
