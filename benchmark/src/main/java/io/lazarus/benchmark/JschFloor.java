package io.lazarus.benchmark;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * many sessions at once as the workers hold messages. No broker, no retries, no watchdog, no pseudo-terminal, no
 * report: what Lazarus takes beyond this is the price of those.
 */
final class JschFloor {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** The exit status arrives just after the end of the output, or just before it. */
    private static final long CLOSE_POLL_MILLIS = 1;
    /** As the worker decides: a JVM with these lets JSch skip generating keys on every session to see that it can. */
    private static final boolean JVM_HAS_ALGORITHMS = present("ML-KEM-768", "X25519", "X448", "Ed25519", "Ed448");

    private final JSch jsch = new JSch();
    private final String user;
    private final String command;
    private final int maxSessions;
    private final Duration timeout;
    private final ThreadFactory sessionThreads =
            Thread.ofVirtual().name("floor-jsch-", 0).factory();

    /**
     * @param maxSessions sessions open at once, as many as the workers' prefetch allows them
     * @param timeout     for all of them; a session still open then counts as failed
     */
    JschFloor(Path identity, Path knownHosts, String user, String command, int maxSessions, Duration timeout)
            throws BenchmarkFailure {
        try {
            jsch.addIdentity(identity.toString());
            jsch.setKnownHosts(knownHosts.toString());
        } catch (JSchException e) {
            throw new BenchmarkFailure(
                    "the JSch floor cannot load " + identity + " or " + knownHosts + ": " + e.getMessage());
        }
        this.user = user;
        this.command = command;
        this.maxSessions = maxSessions;
        this.timeout = timeout;
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
            channel.setCommand(command);
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
