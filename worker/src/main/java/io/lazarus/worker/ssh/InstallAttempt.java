package io.lazarus.worker.ssh;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.CommandResult;
import io.lazarus.common.contract.FileUpload;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.ScriptEnvironment;
import io.lazarus.common.contract.ScriptVariables;
import io.lazarus.common.contract.UploadResult;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.common.files.ContentStore;
import io.lazarus.common.trust.Printable;
import io.lazarus.worker.secrets.Masker;
import io.lazarus.worker.secrets.RunSecrets;
import io.lazarus.worker.ssh.AdaptiveStall.StallTimeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of one install message: connect, run each command of the script under the watchdog, retry what the
 * limits allow, and say how it ended. A stalled or timed-out command is never left running: its session is torn down
 * (the node hangs up the command), and a stall retry starts on a fresh session.
 */
final class InstallAttempt {

    private static final Logger log = LoggerFactory.getLogger(InstallAttempt.class);

    private final InstallMessage message;
    private final Watchdog limits;
    private final Deadline deadline;
    private final Connector connector;
    private final AdaptiveStall adaptive;
    private final Duration commandRetryDelay;
    private final boolean pty;
    private final SshMetrics metrics;
    private final OutputTail stdout;
    private final OutputTail stderr;
    private final ScriptEnvironment environment;
    private final Masker masker;
    private final AttemptOutput output;
    private final OutputSink sink;
    private final ContentStore files;
    private final List<UploadResult> uploads = new ArrayList<>();
    private final Journal journal = new Journal();
    private Connection connection;
    private CommandRun lastRun;

    InstallAttempt(
            InstallMessage message,
            Watchdog limits,
            Connector connector,
            AdaptiveStall adaptive,
            WatchdogProperties watchdog,
            boolean pty,
            SshMetrics metrics,
            RunSecrets secrets,
            OutputProperties outputProperties,
            OutputPace outputPace,
            OutputSink sink,
            ContentStore files) {
        this.message = message;
        this.limits = limits;
        this.deadline = Deadline.after(limits.nodeDeadline());
        this.connector = connector;
        this.adaptive = adaptive;
        this.commandRetryDelay = watchdog.commandRetryDelay();
        this.pty = pty;
        this.metrics = metrics;
        this.stdout = new OutputTail(watchdog.tailBytes());
        this.stderr = new OutputTail(watchdog.tailBytes());
        this.environment = ScriptEnvironment.of(environment(message, secrets));
        this.masker = secrets.masker();
        this.sink = sink;
        this.output = new AttemptOutput(masker, sink, outputProperties, outputPace);
        this.files = files;
    }

    /** The run's variables, the node's facts and connection data, then the secrets (whose names cannot clash). */
    private static java.util.Map<String, String> environment(InstallMessage message, RunSecrets secrets) {
        ScriptVariables variables = ScriptVariables.of(message);
        variables
                .leftOut()
                .forEach(why -> log.warn(
                        "{} {}: not given to the script: {}",
                        message.runId(),
                        Printable.of(message.node().id(), 128),
                        Printable.of(why, 300)));
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>(variables.values());
        values.putAll(secrets.values());
        return values;
    }

    AttemptResult run() {
        try {
            connection = connector.connect(message.node(), limits, deadline, journal);
        } catch (ConnectFailure failure) {
            return result(failure.outcome, failure.getMessage());
        }
        try {
            AttemptResult notUploaded = upload();
            if (notUploaded != null) {
                return notUploaded;
            }
            List<String> script = message.script().commands();
            for (int index = 0; index < script.size(); index++) {
                AttemptResult failed = runCommand(index, script.get(index));
                if (failed != null) {
                    return failed;
                }
            }
            return result(Outcome.SUCCEEDED, "");
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Copies the message's files to the node in order; returns the attempt's result if one failed, null to go on. */
    private AttemptResult upload() {
        List<FileUpload> files = message.uploads();
        for (int index = 0; index < files.size(); index++) {
            FileUpload upload = files.get(index);
            FileTransfer.Sent sent =
                    new FileTransfer(connection, this.files, limits.stall(), limits.command(), deadline).send(upload);
            journal.uploaded(index, sent.outcome(), sent.durationMs(), sent.detail());
            if (sent.leftSessionUnusable()) {
                connection.tearDown();
                connection = null;
            }
            if (sent.outcome() != Outcome.SUCCEEDED) {
                return result(
                        sent.outcome(),
                        "upload " + (index + 1) + "/" + files.size() + " " + upload.remotePath() + ": "
                                + sent.detail());
            }
            uploads.add(new UploadResult(upload.remotePath(), upload.sha256(), sent.bytes(), sent.durationMs()));
        }
        return null;
    }

    /** Runs one command with its retries; returns the attempt's result if the attempt ends here, null to go on. */
    private AttemptResult runCommand(int index, String command) {
        String which =
                "command " + (index + 1) + "/" + message.script().commands().size();
        StallTimeout stall = stallTimeout(index);
        long started = System.nanoTime();
        int stalls = 0;
        int failures = 0;
        for (int run = 1; ; run++) {
            if (connection == null) {
                try {
                    connection = connector.connect(message.node(), limits, deadline, journal);
                } catch (ConnectFailure failure) {
                    finished(index, started, run - 1, stall);
                    return result(
                            failure.outcome,
                            which + " stalled and the node could not be reached again: " + failure.getMessage());
                }
            }
            CommandRun outcome = new CommandExecution(connection, pty, stdout, stderr, output, environment)
                    .run(command, stall.value(), limits.command(), deadline);
            lastRun = outcome;
            journal.ran(index, run, outcome);
            metrics.commandFinished(outcome.outcome(), Duration.ofMillis(outcome.durationMs()));
            if (outcome.leftSessionUnusable()) {
                connection.tearDown();
                connection = null;
            }
            boolean again = !deadline.expired()
                    && switch (outcome.outcome()) {
                        case STALLED -> ++stalls <= limits.stallRetries();
                        case COMMAND_FAILED -> ++failures < limits.commandAttempts();
                        default -> false;
                    };
            if (again) {
                log.info(
                        "{} {} of {}: run {} ended {} ({}), running it again",
                        Printable.of(message.node().id(), 128),
                        which,
                        message.runId(),
                        run,
                        outcome.outcome(),
                        Printable.of(outcome.detail(), 500));
                if (outcome.outcome() == Outcome.COMMAND_FAILED) {
                    Durations.sleep(deadline.cap(commandRetryDelay));
                }
                continue;
            }
            finished(index, started, run, stall);
            if (outcome.outcome() == Outcome.SUCCEEDED) {
                adaptive.learn(message.script().sha256(), index, outcome.longestSilenceMs());
                return null;
            }
            return result(outcome.outcome(), reason(which, outcome, run, stall));
        }
    }

    /**
     * The coordinator's value learned from the fleet's history comes first, its own learning next; neither may exceed
     * the stall timeout in force, whatever a message asks.
     */
    private StallTimeout stallTimeout(int index) {
        Duration fleet = limits.learnedStall().get(index);
        if (fleet != null) {
            return new StallTimeout(fleet.compareTo(limits.stall()) < 0 ? fleet : limits.stall(), true);
        }
        return limits.adaptiveStall()
                ? adaptive.timeout(message.script().sha256(), index, limits.stall())
                : new StallTimeout(limits.stall(), false);
    }

    private void finished(int index, long startedNanos, int runs, StallTimeout stall) {
        CommandRun run = lastRun;
        journal.finished(new CommandResult(
                index,
                run == null ? null : run.exit(),
                run == null ? null : run.signal(),
                (System.nanoTime() - startedNanos) / 1_000_000,
                runs,
                stall.value().toMillis(),
                stall.learned(),
                run == null ? 0 : run.longestSilenceMs()));
    }

    private String reason(String which, CommandRun run, int runs, StallTimeout stall) {
        return switch (run.outcome()) {
            case COMMAND_FAILED ->
                run.signal() != null
                        ? which + " killed by signal " + run.signal()
                        : which + " exited " + run.exit()
                                + lastLine(masked(stderr).isBlank() ? masked(stdout) : masked(stderr));
            case STALLED ->
                which + " printed nothing for " + Durations.human(stall.value())
                        + (stall.learned() ? " (learned stall timeout)" : "")
                        + (runs > 1 ? " in each of " + runs + " runs" : "") + "; its session was torn down";
            default -> which + " " + run.detail();
        };
    }

    private AttemptResult result(Outcome outcome, String reason) {
        Long silenceMs = lastRun == null ? null : (System.nanoTime() - lastRun.lastOutputNanos()) / 1_000_000;
        sink.end(output.finish());
        // nothing the node printed leaves the worker unmasked: not the tails, not the reason quoting them
        return new AttemptResult(
                outcome,
                lastRun == null ? null : lastRun.exit(),
                lastRun == null ? null : lastRun.signal(),
                masker.mask(reason),
                deadline.elapsed().toMillis(),
                journal.commands(),
                journal.steps(),
                masked(stdout),
                masked(stderr),
                stdout.total() + stderr.total(),
                silenceMs,
                journal.connectAttempts(),
                journal.hostKeyFingerprint(),
                journal.hostKeyCheck(),
                limits,
                false,
                output.dropped(),
                uploads);
    }

    private String masked(OutputTail tail) {
        return masker.mask(tail.text(), tail.cut());
    }

    static String lastLine(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        String line = trimmed.substring(trimmed.lastIndexOf('\n') + 1).strip();
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
