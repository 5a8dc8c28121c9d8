package io.lazarus.worker.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.contract.ScriptEnvironment;
import java.time.Duration;

/**
 * Runs one command once on a logged-in session, watched: it ends when the command exits, when it has printed nothing
 * on either stream for the stall timeout, at the command timeout, at the delivery's deadline, when the session drops,
 * or when the worker is stopping. The watching thread never waits longer than a second between looks, and never on
 * the network.
 */
final class CommandExecution {

    private static final long MAX_PARK_NANOS = Duration.ofSeconds(1).toNanos();
    /** Between the end of the output and the exit status the node sends last. */
    private static final long CLOSING_PARK_NANOS = Duration.ofMillis(5).toNanos();

    private static final long SESSION_DOWN_GRACE_NANOS = Duration.ofMillis(250).toNanos();

    private final Connection connection;
    private final boolean pty;
    private final OutputTail stdout;
    private final OutputTail stderr;
    private final AttemptOutput output;
    private final ScriptEnvironment environment;

    CommandExecution(
            Connection connection,
            boolean pty,
            OutputTail stdout,
            OutputTail stderr,
            AttemptOutput output,
            ScriptEnvironment environment) {
        this.connection = connection;
        this.pty = pty;
        this.stdout = stdout;
        this.stderr = stderr;
        this.output = output;
        this.environment = environment;
    }

    CommandRun run(String command, Duration stallTimeout, Duration commandTimeout, Deadline node) {
        Activity activity = new Activity();
        ChannelExec channel;
        try {
            channel = (ChannelExec) connection.session().openChannel("exec");
            channel.setCommand(environment.command(command, pty));
            if (pty) {
                channel.setPty(true);
                channel.setPtyType("dumb");
                if (!environment.isEmpty()) {
                    // set with the terminal, before the command starts: the secrets on stdin are never echoed
                    channel.setTerminalMode(ScriptEnvironment.noEcho());
                }
            }
            // stdin at its end after the secrets, if any (ScriptEnvironment): JSch's thread that sends it, and its
            // packet buffer, end with it
            channel.setInputStream(environment.input());
            channel.setOutputStream(new ChannelOutput(stdout, output, OutputStreamName.STDOUT, activity), false);
            channel.setErrStream(new ChannelOutput(stderr, output, OutputStreamName.STDERR, activity), false);
            // opening the channel is the node's first answer to this command: silence here is a stall too
            channel.connect(Durations.millis(node.cap(stallTimeout)));
        } catch (JSchException e) {
            return connection.isConnected()
                    ? ended(
                            activity,
                            Outcome.STALLED,
                            null,
                            null,
                            "the node did not open a channel within " + Durations.human(stallTimeout) + ": "
                                    + e.getMessage())
                    : ended(activity, Outcome.DISCONNECTED, null, null, "could not open a channel: " + e.getMessage());
        }
        try {
            return watch(
                    channel,
                    activity,
                    stallTimeout.toNanos(),
                    activity.startedNanos() + commandTimeout.toNanos(),
                    commandTimeout,
                    node);
        } finally {
            channel.disconnect();
        }
    }

    private CommandRun watch(
            ChannelExec channel,
            Activity activity,
            long stallNanos,
            long commandEnd,
            Duration commandTimeout,
            Deadline node) {
        while (!channel.isClosed()) {
            output.flushIfDue();
            if (Thread.currentThread().isInterrupted()) {
                return ended(activity, Outcome.CANCELLED, null, null, "worker shutting down");
            }
            if (!connection.isConnected()) {
                return ended(activity, Outcome.DISCONNECTED, null, null, "session dropped before an exit status");
            }
            long now = System.nanoTime();
            long silence = now - activity.lastOutputNanos();
            if (silence >= stallNanos) {
                return ended(
                        activity,
                        Outcome.STALLED,
                        null,
                        null,
                        "no output for " + Durations.human(Duration.ofNanos(stallNanos)));
            }
            if (now - commandEnd >= 0) {
                return ended(
                        activity,
                        Outcome.TIMED_OUT,
                        null,
                        null,
                        "still running at its command timeout of " + Durations.human(commandTimeout));
            }
            if (node.expired()) {
                return ended(activity, Outcome.TIMED_OUT, null, null, "still running at the node deadline");
            }
            long untilNextLimit = Math.min(stallNanos - silence, Math.min(commandEnd - now, node.endNanos() - now));
            activity.park(
                    activity.isStreamClosed()
                            ? CLOSING_PARK_NANOS
                            : Math.max(1, Math.min(untilNextLimit, MAX_PARK_NANOS)));
        }
        String signal = channel.getExitSignal();
        int exit = channel.getExitStatus();
        if (signal != null && !signal.isEmpty()) {
            return ended(activity, Outcome.COMMAND_FAILED, null, signal, "killed by signal " + signal);
        }
        if (exit < 0) {
            return ended(
                    activity,
                    Outcome.DISCONNECTED,
                    null,
                    null,
                    sessionSurvives(activity)
                            ? "channel closed without an exit status"
                            : "session dropped before an exit status");
        }
        return ended(
                activity,
                exit == 0 ? Outcome.SUCCEEDED : Outcome.COMMAND_FAILED,
                exit,
                null,
                exit == 0 ? "" : "exited " + exit);
    }

    /** A dropped connection closes the channels a moment before the session says it is down: give it that moment. */
    private boolean sessionSurvives(Activity activity) {
        long until = System.nanoTime() + SESSION_DOWN_GRACE_NANOS;
        while (connection.isConnected() && System.nanoTime() < until) {
            activity.park(CLOSING_PARK_NANOS);
        }
        return connection.isConnected();
    }

    private static CommandRun ended(Activity activity, Outcome outcome, Integer exit, String signal, String detail) {
        long now = System.nanoTime();
        return new CommandRun(
                outcome,
                exit,
                signal,
                (now - activity.startedNanos()) / 1_000_000,
                detail,
                activity.longestSilenceNanos() / 1_000_000,
                activity.lastOutputNanos());
    }
}
