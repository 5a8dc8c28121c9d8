package io.lazarus.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSession;

/**
 * A fleet of simulated SSH nodes, each on its own loopback address ({@code 127.<subnet>.x.y}), all served by one
 * Apache MINA SSHD server so that a thousand nodes cost one server's threads. Each node presents its own host key and
 * behaves as its {@link NodeBehavior} says; what it was asked to run is recorded for the test to check.
 *
 * <p>In a container, where other hosts cannot reach loopback addresses, the nodes share one address instead and each
 * has a port of its own ({@link Builder#sharedAddress}).
 */
public final class SimulatedFleet implements AutoCloseable {

    // a random start keeps JVMs that run at the same time (parallel builds) mostly out of each other's way
    private static final AtomicInteger NEXT_SUBNET =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(250));
    private static final int SUBNET_TRIES = 5;

    private final List<SimulatedNode> nodes;
    /** The one address every node listens on, each on its own port; null when each node has an address of its own. */
    private final String sharedAddress;

    private final Map<String, SimulatedNode> byEndpoint;
    private final MultiPortServer server;
    private final SilentListeners silent;
    private final Handshakes handshakes = new Handshakes();

    private SimulatedFleet(List<SimulatedNode> nodes, PublicKey authorizedKey, String sharedAddress)
            throws IOException {
        this.nodes = List.copyOf(nodes);
        this.sharedAddress = sharedAddress;
        this.byEndpoint = nodes.stream()
                .collect(Collectors.toMap(
                        n -> endpoint(n.address(), n.port()), n -> n, (a, b) -> a, LinkedHashMap::new));
        this.silent = new SilentListeners();
        this.server = sshServer(authorizedKey);
        try {
            for (SimulatedNode node : nodes) {
                if (node.behavior().fault() == NodeBehavior.Fault.NO_BANNER) {
                    silent.listen(listenAddress(node), node.port());
                }
            }
            if (server != null) {
                server.start();
                if (sharedAddress != null) {
                    for (SimulatedNode node : sshNodes().subList(1, sshNodes().size())) {
                        server.listenAlso(new InetSocketAddress(InetAddress.getByName(sharedAddress), node.port()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<SimulatedNode> nodes() {
        return nodes;
    }

    public SimulatedNode node(String id) {
        return nodes.stream()
                .filter(n -> n.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no simulated node " + id));
    }

    /** The most SSH connections, all nodes together, that were at once between their start and their login. */
    public int mostHandshakesAtOnce() {
        return handshakes.most.get();
    }

    /** Writes a Lazarus inventory (one {@code user@host:port name=id} line per node) and returns its path. */
    public Path writeInventory(Path file, String user) {
        List<String> lines = new ArrayList<>();
        lines.add("# simulated fleet: " + nodes.size() + " nodes");
        nodes.forEach(n -> lines.add(n.inventoryLine(user)));
        return write(file, lines);
    }

    /**
     * Writes the known_hosts file an operator would have, one OpenSSH line {@code [address]:port keytype base64} per
     * node with its {@link SimulatedNode#advertisedHostKey()}, and returns its path.
     */
    public Path writeKnownHosts(Path file) {
        return write(
                file,
                nodes.stream()
                        .map(n -> KnownHostHashValue.createHostPattern(n.address(), n.port()) + " "
                                + PublicKeyEntry.toString(n.advertisedHostKey()))
                        .toList());
    }

    private static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<SimulatedNode> sshNodes() {
        return nodes.stream().filter(n -> n.behavior().servesSsh()).toList();
    }

    private String listenAddress(SimulatedNode node) {
        return sharedAddress != null ? sharedAddress : node.address();
    }

    /** How a session's local end names its node: by port on a shared address, else by address. */
    private String endpoint(String address, int port) {
        return sharedAddress != null ? Integer.toString(port) : address;
    }

    private MultiPortServer sshServer(PublicKey authorizedKey) {
        List<SimulatedNode> serving = sshNodes();
        if (serving.isEmpty()) {
            return null;
        }
        MultiPortServer sshd = (MultiPortServer)
                ServerBuilder.builder().factory(MultiPortServer::new).build();
        // on a shared address MINA binds the first node's port, and the constructor the others
        sshd.setHost(
                sharedAddress != null
                        ? sharedAddress
                        : serving.stream().map(SimulatedNode::address).collect(Collectors.joining(",")));
        sshd.setPort(serving.getFirst().port());
        sshd.setKeyPairProvider(new PerNodeHostKeys());
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setUserAuthFactories(List.of(new PerNodePublicKeyAuth()));
        sshd.setPublickeyAuthenticator(
                (user, key, session) -> nodeOf(session).behavior().fault() != NodeBehavior.Fault.REJECT_AUTH
                        && KeyUtils.compareKeys(authorizedKey, key));
        sshd.setCommandFactory((channel, command) -> new SimulatedInstall(nodeOf(channel.getSession()), command));
        sshd.addSessionListener(new SessionCounter());
        return sshd;
    }

    SimulatedNode nodeOf(SessionContext session) {
        InetSocketAddress local =
                (InetSocketAddress) ((Session) session).getIoSession().getLocalAddress();
        SimulatedNode node = byEndpoint.get(endpoint(local.getAddress().getHostAddress(), local.getPort()));
        if (node == null) {
            throw new IllegalStateException("no simulated node on " + local);
        }
        return node;
    }

    /** Each session is answered with the host key of the node whose address it reached. */
    private final class PerNodeHostKeys implements KeyPairProvider {
        @Override
        public Iterable<KeyPair> loadKeys(SessionContext session) {
            return session == null
                    ? List.of(nodes.getFirst().hostKey())
                    : List.of(nodeOf(session).hostKey());
        }
    }

    /**
     * Public-key authentication, except that a {@link NodeBehavior.Fault#HANG_AUTH} node's request is answered with
     * "still in progress", which makes MINA send nothing at all. Nothing blocks, so neither the server's I/O threads
     * nor {@link #close()} wait on it; MINA's own auth timeout (2 minutes) ends such a session if the client does not.
     */
    private final class PerNodePublicKeyAuth extends UserAuthPublicKeyFactory {
        @Override
        public UserAuthPublicKey createUserAuth(ServerSession session) throws IOException {
            if (nodeOf(session).behavior().fault() != NodeBehavior.Fault.HANG_AUTH) {
                return super.createUserAuth(session);
            }
            return new UserAuthPublicKey() {
                @Override
                public Boolean doAuth(Buffer buffer, boolean init) {
                    return null;
                }
            };
        }
    }

    /** MINA's server listens on one port (on each of its addresses); a fleet on a shared address needs more. */
    private static final class MultiPortServer extends SshServer {
        void listenAlso(InetSocketAddress address) throws IOException {
            acceptor.bind(address);
        }
    }

    private final class SessionCounter implements SessionListener {
        @Override
        public void sessionCreated(Session session) {
            nodeOf(session).sessionOpened();
            handshakes.started(session);
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            if (event == Event.Authenticated) {
                handshakes.ended(session);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            nodeOf(session).sessionClosed();
            handshakes.ended(session);
        }
    }

    /** Connections not yet logged in, and the most there were at once. */
    private static final class Handshakes {
        private final Set<Session> open = ConcurrentHashMap.newKeySet();
        private final AtomicInteger most = new AtomicInteger();

        void started(Session session) {
            open.add(session);
            most.accumulateAndGet(open.size(), Math::max);
        }

        void ended(Session session) {
            open.remove(session);
        }
    }

    @Override
    public void close() {
        silent.close();
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public static final class Builder {
        private final List<Spec> specs = new ArrayList<>();
        private Integer subnet;
        private int port = 2222;
        private PublicKey authorizedKey;
        private String sharedAddress;
        private String advertisedHost;

        /**
         * The second octet of the nodes' addresses: {@code 127.<subnet>.x.y}. Without it, fleets in one JVM get
         * distinct ones, skipping a subnet whose addresses another process already holds.
         */
        public Builder subnet(int subnet) {
            if (subnet < 1 || subnet > 254) {
                throw new IllegalArgumentException("subnet must be 1..254");
            }
            this.subnet = subnet;
            return this;
        }

        /** The nodes' SSH port; on a {@link #sharedAddress} the first node's, the next node's one more, and so on. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Every node listens on {@code bindAddress}, each on its own port from {@link #port} up, and is reached as
         * {@code advertisedHost} (in the inventory and known_hosts). For a fleet in a container:
         * {@code sharedAddress("0.0.0.0", "fleet")}.
         */
        public Builder sharedAddress(String bindAddress, String advertisedHost) {
            this.sharedAddress = bindAddress;
            this.advertisedHost = advertisedHost;
            return this;
        }

        /** The client key every node accepts, as an OpenSSH public key line ({@code ecdsa-sha2-nistp256 AAAA... comment}). */
        public Builder authorizedKey(String openSshPublicKeyLine) {
            try {
                this.authorizedKey = AuthorizedKeyEntry.parseAuthorizedKeyEntry(openSshPublicKeyLine.trim())
                        .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
                return this;
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("not an OpenSSH public key: " + openSshPublicKeyLine, e);
            }
        }

        public Builder nodes(int count, NodeBehavior behavior) {
            for (int i = 0; i < count; i++) {
                specs.add(new Spec(null, behavior));
            }
            return this;
        }

        public Builder node(String id, NodeBehavior behavior) {
            specs.add(new Spec(id, behavior));
            return this;
        }

        public SimulatedFleet start() throws IOException {
            if (authorizedKey == null) {
                throw new IllegalStateException("authorizedKey is required");
            }
            if (specs.size() > 250 * 250) {
                throw new IllegalArgumentException("at most 62500 nodes per fleet");
            }
            if (sharedAddress != null) {
                if (port + specs.size() - 1 > 65535) {
                    throw new IllegalArgumentException(specs.size() + " nodes from port " + port + " pass port 65535");
                }
                return start(i -> advertisedHost, i -> port + i, sharedAddress);
            }
            if (subnet != null) {
                return start(subnet);
            }
            for (int tries = 1; ; tries++) {
                try {
                    return start(NEXT_SUBNET.getAndIncrement() % 250 + 1);
                } catch (BindException e) {
                    if (tries == SUBNET_TRIES) {
                        throw e;
                    }
                }
            }
        }

        private SimulatedFleet start(int subnet) throws IOException {
            return start(i -> "127." + subnet + "." + (i / 250) + "." + (i % 250 + 1), i -> port, null);
        }

        private SimulatedFleet start(IntFunction<String> address, IntUnaryOperator nodePort, String bindAddress)
                throws IOException {
            List<SimulatedNode> nodes = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < specs.size(); i++) {
                Spec spec = specs.get(i);
                String id = spec.id != null ? spec.id : "node-%04d".formatted(i + 1);
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("two simulated nodes are named " + id);
                }
                nodes.add(new SimulatedNode(
                        id, address.apply(i), nodePort.applyAsInt(i), spec.behavior, HostKeys.generate()));
            }
            return new SimulatedFleet(nodes, authorizedKey, bindAddress);
        }

        private record Spec(String id, NodeBehavior behavior) {}
    }
}
