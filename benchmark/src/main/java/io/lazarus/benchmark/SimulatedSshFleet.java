package io.lazarus.benchmark;

import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** The fleet simulator in this JVM: nodes that print their lines over the install's length, whatever they are sent. */
final class SimulatedSshFleet implements MeasuredFleet {

    private final SimulatedFleet fleet;
    private final List<FleetNode> nodes;
    private final Map<String, SimulatedNode> byId;

    private SimulatedSshFleet(SimulatedFleet fleet) {
        this.fleet = fleet;
        this.nodes = fleet.nodes().stream()
                .map(n -> new FleetNode(
                        n.id(),
                        n.address(),
                        n.port(),
                        PublicKeyEntry.toString(n.hostKey().getPublic())))
                .toList();
        this.byId = fleet.nodes().stream().collect(Collectors.toMap(SimulatedNode::id, Function.identity()));
    }

    static SimulatedSshFleet start(int subnet, int count, String authorizedKeyLine, Duration install, int outputLines)
            throws IOException {
        return new SimulatedSshFleet(SimulatedFleet.builder()
                .subnet(subnet)
                .authorizedKey(authorizedKeyLine)
                .nodes(count, NodeBehavior.install(install, outputLines))
                .start());
    }

    @Override
    public String kind() {
        return "simulated";
    }

    @Override
    public String description() {
        return nodes.size() + " simulated nodes (Apache MINA SSHD in this JVM) on 127."
                + nodes.getFirst().address().split("\\.")[1] + ".x.y:"
                + nodes.getFirst().port();
    }

    @Override
    public List<FleetNode> nodes() {
        return nodes;
    }

    @Override
    public String user() {
        return "bench";
    }

    /** The simulator ignores what it is sent; any command will do. */
    @Override
    public String installCommand() {
        return "install-package example";
    }

    @Override
    public long installsStarted(List<FleetNode> which) {
        return which.stream()
                .mapToLong(n -> byId.get(n.id()).executions().size())
                .sum();
    }

    @Override
    public long[] millisToStart(List<FleetNode> which, java.time.Instant from) {
        // the same nodes ran in earlier rounds, and for the clients beside Lazarus
        return which.stream()
                .flatMap(n -> byId.get(n.id()).executions().stream()
                        .filter(e -> !e.startedAt().isBefore(from))
                        .limit(1))
                .mapToLong(e -> java.time.Duration.between(from, e.startedAt()).toMillis())
                .sorted()
                .toArray();
    }

    @Override
    public int processes() {
        return 0;
    }

    @Override
    public Duration processCpu() {
        return Duration.ZERO;
    }

    @Override
    public void close() {
        fleet.close();
    }
}
