package io.lazarus.worker.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.common.retry.Backoff;
import io.lazarus.common.trust.Printable;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens logged-in SSH sessions: connect attempts with full-jitter backoff, each handshake under a {@link HandshakeWatch}. */
final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final JSch jsch;
    private final SshProperties ssh;
    private final KnownHostsRepository knownHosts;
    private final ScheduledExecutorService timer;
    private final SshMetrics metrics;
    private final Backoff backoff;
    private final HandshakeGate handshakes;
    private final ThreadFactory sessionThreads =
            Thread.ofVirtual().name("jsch-", 0).factory();

    Connector(
            JSch jsch,
            SshProperties ssh,
            KnownHostsRepository knownHosts,
            ScheduledExecutorService timer,
            SshMetrics metrics) {
        this.jsch = jsch;
        this.ssh = ssh;
        this.knownHosts = knownHosts;
        this.timer = timer;
        this.metrics = metrics;
        this.backoff = ssh.connectPauses();
        this.handshakes = new HandshakeGate(ssh.maxHandshakes());
        metrics.handshakeGate(handshakes);
    }

    /**
     * Connects within the delivery's deadline, recording each attempt in the journal. Retries only what may recover;
     * gives up early rather than start an attempt the deadline cannot hold.
     */
    Connection connect(NodeTarget node, Watchdog limits, Deadline deadline, Journal journal) throws ConnectFailure {
        ConnectFailure last = null;
        for (int n = 1; n <= ssh.connectAttempts(); n++) {
            if (n > 1) {
                Duration pause = backoff.pause(n - 1);
                if (deadline.remaining().compareTo(pause.plus(limits.connect())) < 0) {
                    break;
                }
                Durations.sleep(pause);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ConnectFailure(Outcome.CANCELLED, "worker shutting down");
            }
            long started = System.nanoTime();
            try {
                Connection connection = open(node, limits, deadline, journal);
                journal.connected(started);
                return connection;
            } catch (ConnectFailure failure) {
                last = failure;
                journal.connectFailed(started, failure);
                log.debug(
                        "connect attempt {} to {} failed: {}",
                        n,
                        Printable.of(node.address(), 400),
                        Printable.of(failure.getMessage(), 500));
                if (!failure.retryable()) {
                    throw failure;
                }
            }
        }
        if (last == null) {
            throw new ConnectFailure(Outcome.TIMED_OUT, "node deadline passed before a connection was made");
        }
        throw new ConnectFailure(
                last.outcome,
                "cannot connect to " + node.address() + " after " + journal.connectAttempts() + " attempt(s): "
                        + last.getMessage());
    }

    private Connection open(NodeTarget node, Watchdog limits, Deadline deadline, Journal journal)
            throws ConnectFailure {
        handshakes.enter(deadline);
        try {
            return handshake(node, limits, deadline, journal);
        } finally {
            handshakes.leave();
        }
    }

    /** The connect timeout starts here, after the wait for a slot: the wait is the worker's, not the node's. */
    private Connection handshake(NodeTarget node, Watchdog limits, Deadline deadline, Journal journal)
            throws ConnectFailure {
        long started = System.nanoTime();
        HandshakeWatch watch = new HandshakeWatch(knownHosts, timer, deadline.cap(limits.connect()), limits.auth());
        Session session;
        try {
            session = jsch.getSession(node.user(), node.host(), node.port());
        } catch (JSchException e) {
            watch.finished();
            throw new ConnectFailure(Outcome.CONNECT_FAILED, e.getMessage());
        }
        session.setThreadFactory(sessionThreads);
        session.setSocketFactory(watch);
        session.setHostKeyRepository(watch);
        session.setConfig("StrictHostKeyChecking", "yes");
        if (JvmAlgorithms.PRESENT) {
            // otherwise JSch generates ML-KEM, X25519 and Ed25519 keys on every session just to see that it can
            session.setConfig("CheckKexes", "");
            session.setConfig("CheckSignatures", "");
            session.setConfig("CheckCiphers", "");
        }
        session.setConfig("PreferredAuthentications", "publickey");
        try {
            // JSch's own limit bounds each read; the watch bounds each phase as a whole
            session.connect(Durations.millis(limits.connect().plus(limits.auth())));
            metrics.connected(Duration.ofNanos(System.nanoTime() - started), watch.firstByte());
            session.setServerAliveInterval(Durations.millis(ssh.keepalive()));
            session.setServerAliveCountMax(3);
            return new Connection(session, watch.socket());
        } catch (JSchException e) {
            session.disconnect();
            throw ConnectFailure.classify(e, node, watch.overrun());
        } finally {
            watch.finished();
            if (session.getHostKey() != null) {
                journal.hostKey(session.getHostKey().getFingerPrint(jsch), watch.hostKeyCheck());
            }
        }
    }
}
