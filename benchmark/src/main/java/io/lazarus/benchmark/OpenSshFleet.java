package io.lazarus.benchmark;

import io.lazarus.testkit.OpenSshServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real OpenSSH fleet on loopback: each node its own address {@code 127.<subnet>.x.y}, all on one port, served by as
 * few {@code sshd} processes as sshd's limit of {@value OpenSshServer#MAX_LISTEN_ADDRESSES} listen addresses allows,
 * each with its own ed25519 host key, logging in the current user with the benchmark's client key. Its install is a
 * real shell loop that prints its lines over the install's length.
 */
final class OpenSshFleet implements MeasuredFleet {

    /**
     * Every login of a run can be unauthenticated at once; sshd's default (10:30:100) would drop most of them.
     * MaxSessions bounds the channels of one connection, not logins; the same high value keeps it out of the way.
     */
    private static final List<String> SETTINGS = List.of("MaxStartups 10000", "MaxSessions 10000", "LogLevel ERROR");

    private final List<OpenSshServer> servers;
    private final List<FleetNode> nodes;
    private final int subnet;
    private final int port;
    private final String installCommand;
    private final Thread stopAtExit = Thread.ofPlatform().unstarted(this::stopServers);

    private OpenSshFleet(
            List<OpenSshServer> servers, List<FleetNode> nodes, int subnet, int port, String installCommand) {
        this.servers = servers;
        this.nodes = nodes;
        this.subnet = subnet;
        this.port = port;
        this.installCommand = installCommand;
    }

    /** Starts {@code ceil(count / 16)} sshd processes under {@code dir}; stops those it started if one fails. */
    static OpenSshFleet start(
            Path dir, int subnet, int count, String authorizedKeyLine, Duration install, int outputLines)
            throws IOException, InterruptedException {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127." + subnet + "." + (i / 250) + "." + (i % 250 + 1));
        }
        int port = OpenSshServer.freePort(addresses);
        List<OpenSshServer> servers = new ArrayList<>();
        List<FleetNode> nodes = new ArrayList<>();
        OpenSshFleet fleet = new OpenSshFleet(servers, nodes, subnet, port, shellLoop(install, outputLines));
        Runtime.getRuntime().addShutdownHook(fleet.stopAtExit);
        try {
            for (int from = 0; from < count; from += OpenSshServer.MAX_LISTEN_ADDRESSES) {
                List<String> served =
                        addresses.subList(from, Math.min(count, from + OpenSshServer.MAX_LISTEN_ADDRESSES));
                OpenSshServer server = OpenSshServer.start(
                        Files.createDirectories(dir.resolve("sshd-" + (servers.size() + 1))),
                        served,
                        port,
                        authorizedKeyLine,
                        SETTINGS);
                servers.add(server);
                String hostKey = String.join(
                        " ", List.of(server.hostKeyLine().split(" ")).subList(0, 2));
                for (String address : served) {
                    nodes.add(new FleetNode("node-%04d".formatted(nodes.size() + 1), address, port, hostKey));
                }
            }
            return fleet;
        } catch (IOException | InterruptedException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** {@code for i in $(seq 1 10); do echo line $i; sleep 0.2; done}: the simulator's install, run by a real shell. */
    static String shellLoop(Duration install, int lines) {
        String pause = BigDecimal.valueOf(install.dividedBy(lines).toNanos(), 9)
                .stripTrailingZeros()
                .toPlainString();
        return "for i in $(seq 1 " + lines + "); do echo line $i; sleep " + pause + "; done";
    }

    @Override
    public String kind() {
        return "openssh";
    }

    @Override
    public String description() {
        return "%d OpenSSH nodes on 127.%d.x.y:%d, served by %d sshd processes (logs under %s)"
                .formatted(
                        nodes.size(),
                        subnet,
                        port,
                        servers.size(),
                        servers.getFirst().log().getParent().getParent());
    }

    @Override
    public List<FleetNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public String installCommand() {
        return installCommand;
    }

    int port() {
        return port;
    }

    /** Only the nodes' own shells know; counting them is not worth the work. */
    @Override
    public long installsStarted(List<FleetNode> which) {
        return -1;
    }

    @Override
    public long[] millisToStart(List<FleetNode> which, java.time.Instant from) {
        return new long[0];
    }

    @Override
    public int processes() {
        return servers.size();
    }

    @Override
    public Duration processCpu() {
        return servers.stream()
                .map(s -> ProcStatus.cpuWithReapedChildren(s.pid()))
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() {
        stopServers();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the hook runs or has run: the servers are stopped either way
        }
    }

    private void stopServers() {
        for (OpenSshServer server : servers) {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
