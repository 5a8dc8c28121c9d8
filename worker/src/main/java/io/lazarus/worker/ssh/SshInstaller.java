package io.lazarus.worker.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one install message against its node over SSH and says how it ended. Never throws for anything the node or
 * the network does, and never blocks past the node deadline: every wait is bounded by a timeout of the watchdog.
 */
@Component
public class SshInstaller {

    private static final Logger log = LoggerFactory.getLogger(SshInstaller.class);
    private static final Duration POLL = Duration.ofMillis(50);

    private final JSch jsch = new JSch();
    private final SshProperties ssh;
    private final WatchdogProperties watchdog;
    private final HostKeyRepository knownHosts;
    private final SshMetrics metrics;
    private final Backoff backoff;
    private final ThreadFactory sessionThreads = Thread.ofVirtual().name("jsch-", 0).factory();

    public SshInstaller(SshProperties ssh, WatchdogProperties watchdog, SshMetrics metrics) {
        this.ssh = ssh;
        this.watchdog = watchdog;
        this.metrics = metrics;
        this.backoff = new Backoff(ssh.connectBackoff(), ssh.connectBackoffMax());
        this.knownHosts = new KnownHostsRepository(ssh.knownHosts(), ssh.policy());
        if (!Files.isReadable(ssh.identityFile())) {
            throw new IllegalStateException("lazarus.ssh.identity-file " + ssh.identityFile() + " is not readable");
        }
        try {
            jsch.addIdentity(ssh.identityFile().toString());
        } catch (JSchException e) {
            throw new IllegalStateException("lazarus.ssh.identity-file " + ssh.identityFile() + " is not a usable private key: "
                    + e.getMessage(), e);
        }
        if (ssh.policy() == HostKeyPolicy.OFF) {
            log.warn("lazarus.ssh.host-key-policy=off: host keys are NOT verified; anyone on the path can impersonate a node");
        }
    }

    public AttemptResult install(InstallMessage message) {
        Timeouts timeouts = watchdog.effective(message.timeouts(), ssh.connectTimeout());
        Attempt attempt = new Attempt(message, timeouts, new Clock(timeouts.nodeDeadline()),
                new AtomicLong(System.nanoTime()), watchdog.tailBytes());
        return attempt.run();
    }

    /** The state of one delivery: its clock, its output tails and its results so far. */
    private final class Attempt {
        private final InstallMessage message;
        private final NodeTarget node;
        private final Timeouts timeouts;
        private final Clock clock;
        private final AtomicLong lastActivity;
        private final OutputTail stdout;
        private final OutputTail stderr;
        private final List<CommandResult> commands = new ArrayList<>();
        private int connectAttempts;
        private String fingerprint;

        Attempt(InstallMessage message, Timeouts timeouts, Clock clock, AtomicLong lastActivity, int tailBytes) {
            this.message = message;
            this.node = message.node();
            this.timeouts = timeouts;
            this.clock = clock;
            this.lastActivity = lastActivity;
            this.stdout = new OutputTail(tailBytes, lastActivity);
            this.stderr = new OutputTail(tailBytes, lastActivity);
        }

        AttemptResult run() {
            Session session;
            try {
                session = connect();
            } catch (ConnectFailure failure) {
                return result(failure.outcome, null, failure.getMessage());
            }
            try {
                return runCommands(session);
            } finally {
                session.disconnect();
            }
        }

        private Session connect() throws ConnectFailure {
            ConnectFailure last = null;
            for (int n = 1; n <= ssh.connectAttempts(); n++) {
                if (n > 1) {
                    Duration pause = backoff.before(n);
                    if (clock.remaining().compareTo(pause.plus(timeouts.connect())) < 0) {
                        break;
                    }
                    sleep(pause);
                }
                connectAttempts = n;
                long started = System.nanoTime();
                try {
                    Session session = openSession();
                    metrics.connected(Duration.ofNanos(System.nanoTime() - started));
                    return session;
                } catch (JSchException e) {
                    last = ConnectFailure.classify(e, node, n);
                    log.debug("connect attempt {} to {} failed: {}", n, node.address(), last.getMessage());
                    if (last.outcome != Outcome.CONNECT_FAILED) {
                        break;
                    }
                }
            }
            throw last != null ? last
                    : new ConnectFailure(Outcome.TIMED_OUT, "node deadline passed before a connection was made");
        }

        private Session openSession() throws JSchException {
            Session session = jsch.getSession(node.user(), node.host(), node.port());
            session.setThreadFactory(sessionThreads);
            session.setHostKeyRepository(node.pinnedHostKey() != null
                    ? new PinnedHostKeyRepository(node.pinnedHostKey()) : knownHosts);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            try {
                session.connect(millis(min(timeouts.connect(), clock.remaining())));
            } finally {
                if (session.getHostKey() != null) {
                    fingerprint = session.getHostKey().getFingerPrint(jsch);
                }
            }
            session.setServerAliveInterval(millis(ssh.keepalive()));
            session.setServerAliveCountMax(3);
            return session;
        }

        private AttemptResult runCommands(Session session) {
            List<String> script = message.script().commands();
            Integer exit = null;
            for (int index = 0; index < script.size(); index++) {
                CommandRun run = runWithRetries(session, index, script.get(index));
                commands.add(new CommandResult(index, run.exit, run.durationMs, run.runs));
                exit = run.exit;
                String which = "command " + (index + 1) + "/" + script.size();
                switch (run.outcome) {
                    case SUCCEEDED -> {
                    }
                    case COMMAND_FAILED -> {
                        return result(Outcome.COMMAND_FAILED, exit, which + " exited " + exit + lastLine(stderr.text()));
                    }
                    case STALLED -> {
                        return result(Outcome.STALLED, null, which + " printed nothing for " + human(timeouts.stall())
                                + " (" + run.runs + " runs)");
                    }
                    case TIMED_OUT -> {
                        return result(Outcome.TIMED_OUT, null, which + " " + run.detail);
                    }
                    default -> {
                        return result(run.outcome, null, which + ": " + run.detail);
                    }
                }
            }
            return result(Outcome.SUCCEEDED, exit, "");
        }

        private CommandRun runWithRetries(Session session, int index, String command) {
            int runs = 0;
            int stalls = 0;
            int failures = 0;
            long started = System.nanoTime();
            while (true) {
                runs++;
                CommandRun run = runOnce(session, command);
                metrics.commandFinished(run.outcome, Duration.ofMillis(run.durationMs));
                boolean retryStall = run.outcome == Outcome.STALLED && ++stalls <= watchdog.stallRetries();
                boolean retryFailure = run.outcome == Outcome.COMMAND_FAILED && ++failures < watchdog.commandAttempts();
                if (retryFailure) {
                    sleep(min(watchdog.commandRetryDelay(), clock.remaining()));
                }
                if (!(retryStall || retryFailure) || clock.expired()) {
                    return new CommandRun(run.outcome, run.exit, (System.nanoTime() - started) / 1_000_000, runs,
                            run.detail);
                }
                log.info("{} on {}: run {} ended {}, running it again", "command " + (index + 1), node.id(), runs,
                        run.outcome);
            }
        }

        private CommandRun runOnce(Session session, String command) {
            long started = System.nanoTime();
            ChannelExec channel;
            try {
                channel = (ChannelExec) session.openChannel("exec");
                channel.setCommand(command);
                // stdin at EOF: a command that asks a question fails at once instead of stalling
                channel.setInputStream(InputStream.nullInputStream());
                channel.setOutputStream(stdout, true);
                channel.setErrStream(stderr, true);
                channel.connect(millis(min(timeouts.connect(), clock.remaining())));
            } catch (JSchException e) {
                return CommandRun.once(Outcome.DISCONNECTED, null, started, "could not open a channel: " + e.getMessage());
            }
            lastActivity.set(System.nanoTime());
            long commandDeadline = started + timeouts.command().toNanos();
            try {
                while (!channel.isClosed()) {
                    long now = System.nanoTime();
                    if (Thread.currentThread().isInterrupted()) {
                        return CommandRun.once(Outcome.CANCELLED, null, started, "worker shutting down");
                    }
                    if (!session.isConnected()) {
                        return CommandRun.once(Outcome.DISCONNECTED, null, started, "session dropped before an exit status");
                    }
                    if (now - lastActivity.get() > timeouts.stall().toNanos()) {
                        return CommandRun.once(Outcome.STALLED, null, started, "stalled");
                    }
                    if (now > commandDeadline) {
                        return CommandRun.once(Outcome.TIMED_OUT, null, started,
                                "still running at its command timeout of " + human(timeouts.command()));
                    }
                    if (clock.expired()) {
                        return CommandRun.once(Outcome.TIMED_OUT, null, started,
                                "still running at the node deadline of " + human(timeouts.nodeDeadline()));
                    }
                    sleep(POLL);
                }
                int exit = channel.getExitStatus();
                if (exit < 0) {
                    return CommandRun.once(Outcome.DISCONNECTED, null, started, "channel closed without an exit status");
                }
                return CommandRun.once(exit == 0 ? Outcome.SUCCEEDED : Outcome.COMMAND_FAILED, exit, started, "");
            } finally {
                channel.disconnect();
            }
        }

        private AttemptResult result(Outcome outcome, Integer exit, String reason) {
            return new AttemptResult(outcome, exit, reason, clock.elapsed().toMillis(), commands, stdout.text(),
                    stderr.text(), stdout.total() + stderr.total(), connectAttempts, fingerprint, timeouts);
        }
    }

    private record CommandRun(Outcome outcome, Integer exit, long durationMs, int runs, String detail) {
        static CommandRun once(Outcome outcome, Integer exit, long startedNanos, String detail) {
            return new CommandRun(outcome, exit, (System.nanoTime() - startedNanos) / 1_000_000, 1, detail);
        }
    }

    /** A connection that did not come about, already classified. */
    static final class ConnectFailure extends Exception {
        final Outcome outcome;

        ConnectFailure(Outcome outcome, String reason) {
            super(reason, null, false, false);
            this.outcome = outcome;
        }

        static ConnectFailure classify(JSchException e, NodeTarget node, int attempt) {
            String detail = describe(e);
            if (e instanceof JSchHostKeyException) {
                return new ConnectFailure(Outcome.HOST_KEY_REJECTED, "host key of " + node.address() + " rejected: " + detail);
            }
            if (detail.contains("Auth fail") || detail.contains("Auth cancel")) {
                return new ConnectFailure(Outcome.AUTH_FAILED, "authentication as " + node.user() + " failed: " + detail);
            }
            return new ConnectFailure(Outcome.CONNECT_FAILED,
                    "cannot connect to " + node.address() + " after " + attempt + " attempt(s): " + detail);
        }

        private static String describe(Throwable e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            if (cause != e && e.getMessage() != null && !e.getMessage().contains(message)) {
                return e.getMessage() + ": " + message;
            }
            return e.getMessage() != null ? e.getMessage() : message;
        }
    }

    /** The node deadline of one delivery. */
    private record Clock(long startNanos, Duration deadline) {
        Clock(Duration deadline) {
            this(System.nanoTime(), deadline);
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        Duration remaining() {
            Duration left = deadline.minus(elapsed());
            return left.isNegative() ? Duration.ZERO : left;
        }

        boolean expired() {
            return remaining().isZero();
        }
    }

    private static String lastLine(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        String line = trimmed.substring(trimmed.lastIndexOf('\n') + 1).strip();
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
