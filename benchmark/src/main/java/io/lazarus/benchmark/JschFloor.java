package io.lazarus.benchmark;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.ScriptEnvironment;
import io.lazarus.common.contract.ScriptVariables;
import io.lazarus.common.contract.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The least a JVM SSH client does for the same installs: per node, on a virtual thread, a bare JSch session (public-key
 * authentication only, the host key checked against the fleet's known_hosts with StrictHostKeyChecking=yes, the
 * worker's JSch settings), exec of the script, its output read to the end, its exit status, disconnect. At most as
 * many sessions at once as the workers hold messages. No broker, no retries, no watchdog, no report: what Lazarus
 * takes beyond this is the price of those.
 *
 * <p>The exec channel is either {@link Channel#LIKE_THE_WORKER}'s (the same requests the node gets from a worker: a
 * pseudo-terminal, so that a torn-down session hangs up the command, and the script's environment read from stdin by
 * the worker's prelude) or {@link Channel#BARE} (the script alone). The node's side of the first costs more (a
 * terminal, a login record, {@code stty}, the prelude's shell): on a real fleet each node pays its own, here the one
 * machine pays them all.
 */
final class JschFloor {

    /** What the exec channel asks of the node. */
    enum Channel {
        BARE("the script alone: no pseudo-terminal, no environment"),
        LIKE_THE_WORKER("a pseudo-terminal and the script's environment on stdin, as a worker asks");

        final String description;

        Channel(String description) {
            this.description = description;
        }
    }

    /** How the client finds a node's known key. */
    enum HostKeys {
        KNOWN_HOSTS_FILE("JSch's known_hosts repository, which reads every entry for each connection"),
        MAP("the same keys looked up by host in a map, as a worker keeps them");

        final String description;

        HostKeys(String description) {
            this.description = description;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** A run id of the same shape as Lazarus's, for the script's environment. */
    private static final String RUN_ID = "20261204-000000-abcdef";
    /** The exit status arrives just after the end of the output, or just before it. */
    private static final long CLOSE_POLL_MILLIS = 1;
    /** As the worker decides: a JVM with these lets JSch skip generating keys on every session to see that it can. */
    private static final boolean JVM_HAS_ALGORITHMS = present("ML-KEM-768", "X25519", "X448", "Ed25519", "Ed448");

    private final JSch jsch = new JSch();
    private final String user;
    private final String command;
    private final int maxSessions;
    private final Duration timeout;
    private final Channel channel;
    private final ThreadFactory sessionThreads =
            Thread.ofVirtual().name("floor-jsch-", 0).factory();

    /**
     * @param maxSessions sessions open at once, as many as the workers' prefetch allows them
     * @param timeout     for all of them; a session still open then counts as failed
     */
    JschFloor(
            Path identity,
            Path knownHosts,
            String user,
            String command,
            int maxSessions,
            Duration timeout,
            Channel channel,
            HostKeys hostKeys)
            throws BenchmarkFailure {
        try {
            jsch.addIdentity(identity.toString());
            jsch.setKnownHosts(knownHosts.toString());
            if (hostKeys == HostKeys.MAP) {
                jsch.setHostKeyRepository(new IndexedHostKeys(jsch.getHostKeyRepository()));
            }
        } catch (JSchException e) {
            throw new BenchmarkFailure(
                    "the JSch floor cannot load " + identity + " or " + knownHosts + ": " + e.getMessage());
        }
        this.user = user;
        this.command = command;
        this.maxSessions = maxSessions;
        this.timeout = timeout;
        this.channel = channel;
    }

    int maxSessions() {
        return maxSessions;
    }

    /** Runs the install on every node and returns each session as it went, in the order of {@code nodes}. */
    List<FloorSession> run(List<FleetNode> nodes) throws InterruptedException {
        Semaphore open = new Semaphore(maxSessions);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<FloorSession> sessions = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<FloorSession>> running = nodes.stream()
                    .map(node -> threads.submit(() -> session(node, open)))
                    .toList();
            for (int i = 0; i < nodes.size(); i++) {
                Future<FloorSession> session = running.get(i);
                try {
                    sessions.add(session.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    session.cancel(true);
                    sessions.add(new FloorSession(
                            nodes.get(i).id(), start, System.nanoTime(), 0, "not finished within " + timeout));
                } catch (ExecutionException e) {
                    sessions.add(new FloorSession(
                            nodes.get(i).id(),
                            start,
                            System.nanoTime(),
                            0,
                            e.getCause().toString()));
                }
            }
        }
        return sessions;
    }

    private FloorSession session(FleetNode node, Semaphore open) throws InterruptedException {
        open.acquire();
        long start = System.nanoTime();
        Session session = null;
        long lines = 0;
        String failure;
        try {
            session = jsch.getSession(user, node.address(), node.port());
            session.setThreadFactory(sessionThreads);
            session.setConfig("StrictHostKeyChecking", "yes");
            if (JVM_HAS_ALGORITHMS) {
                session.setConfig("CheckKexes", "");
                session.setConfig("CheckSignatures", "");
                session.setConfig("CheckCiphers", "");
            }
            session.setConfig("PreferredAuthentications", "publickey");
            session.connect((int) CONNECT_TIMEOUT.toMillis());
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            if (this.channel == Channel.LIKE_THE_WORKER) {
                ScriptEnvironment environment = ScriptEnvironment.of(environment(node));
                channel.setCommand(environment.command(command, true));
                channel.setPty(true);
                channel.setPtyType("dumb");
                channel.setTerminalMode(ScriptEnvironment.noEcho());
                channel.setInputStream(environment.input());
            } else {
                channel.setCommand(command);
            }
            channel.setErrStream(OutputStream.nullOutputStream());
            InputStream stdout = channel.getInputStream();
            channel.connect((int) CONNECT_TIMEOUT.toMillis());
            lines = linesToEnd(stdout);
            while (!channel.isClosed()) {
                Thread.sleep(CLOSE_POLL_MILLIS);
            }
            int exit = channel.getExitStatus();
            channel.disconnect();
            failure = exit == 0 ? null : "exited " + exit;
        } catch (JSchException | IOException e) {
            failure = e.toString();
        } finally {
            if (session != null) {
                session.disconnect();
            }
            open.release();
        }
        return new FloorSession(node.id(), start, System.nanoTime(), lines, failure);
    }

    /** What a worker gives the script of a run's first attempt on this node, without run variables or secrets. */
    private Map<String, String> environment(FleetNode node) {
        NodeTarget target = new NodeTarget(node.id(), node.address(), node.port(), user);
        InstallScript script = InstallScript.of("install.sh", command);
        return ScriptVariables.of(InstallMessage.firstAttempt(
                        RUN_ID, target, script, Watchdog.DEFAULTS, Instant.now().plus(timeout)))
                .values();
    }

    private static long linesToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long lines = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }

    private static boolean present(String... keyPairAlgorithms) {
        try {
            for (String algorithm : keyPairAlgorithms) {
                KeyPairGenerator.getInstance(algorithm);
            }
            javax.crypto.KEM.getInstance("ML-KEM");
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * One node's session, from the moment it may open (a permit taken) to its disconnect.
     *
     * @param failure null if the install exited 0
     */
    record FloorSession(String node, long startNanos, long endNanos, long stdoutLines, String failure) {

        boolean succeeded() {
            return failure == null;
        }

        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }
}
