package io.lazarus.worker.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.files.ContentStore;
import io.lazarus.worker.secrets.Masker;
import io.lazarus.worker.secrets.RunSecrets;
import java.nio.file.Files;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs install messages against their nodes over SSH and says how each ended. Never throws for anything the node or
 * the network does, and never blocks past the node deadline: every wait is bounded by a limit of the watchdog.
 */
@Component
public class SshInstaller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshInstaller.class);

    private final SshProperties ssh;
    private final WatchdogProperties watchdog;
    private final SshMetrics metrics;
    private final ScheduledThreadPoolExecutor handshakeTimer;
    private final Connector connector;
    private final AdaptiveStall adaptive;
    private final Masker masker;
    private final OutputProperties output;
    private final OutputPace outputPace;
    private final ContentStore files;

    /** {@code files} is where the content of the messages' uploads is read from. */
    public SshInstaller(
            SshProperties ssh,
            WatchdogProperties watchdog,
            SshMetrics metrics,
            Masker masker,
            OutputProperties output,
            ContentStore files) {
        this.masker = masker;
        this.output = output;
        this.outputPace = new OutputPace(output);
        metrics.outputPace(outputPace);
        this.files = files;
        this.ssh = ssh;
        this.watchdog = watchdog;
        this.metrics = metrics;
        QuickTierCrypto.install();
        JSch jsch = new JSch();
        if (!Files.isReadable(ssh.identityFile())) {
            throw new IllegalStateException("lazarus.ssh.identity-file " + ssh.identityFile() + " is not readable");
        }
        try {
            jsch.addIdentity(ssh.identityFile().toString());
        } catch (JSchException e) {
            throw new IllegalStateException(
                    "lazarus.ssh.identity-file " + ssh.identityFile() + " is not a usable private key: "
                            + e.getMessage(),
                    e);
        }
        if (ssh.policy() == HostKeyPolicy.OFF) {
            log.warn(
                    "lazarus.ssh.host-key-policy=off: host keys are NOT verified; anyone on the path can impersonate a node");
        }
        this.handshakeTimer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().daemon().name("lazarus-handshake-watch").factory());
        handshakeTimer.setRemoveOnCancelPolicy(true);
        this.connector = new Connector(
                jsch, ssh, new KnownHostsRepository(ssh.knownHosts(), ssh.policy()), handshakeTimer, metrics);
        this.adaptive = new AdaptiveStall(watchdog.adaptiveStall());
    }

    /** For a message that names no secret: the configured patterns are still masked. */
    public AttemptResult install(InstallMessage message) {
        return install(message, RunSecrets.none(masker));
    }

    /** Keeps only the output's tails. */
    public AttemptResult install(InstallMessage message, RunSecrets secrets) {
        return install(message, secrets, OutputSink.NONE);
    }

    /**
     * {@code secrets} come from the worker's store; their masker hides their values and the configured patterns in
     * everything that leaves, the whole output {@code sink} gets included.
     */
    public AttemptResult install(InstallMessage message, RunSecrets secrets, OutputSink sink) {
        outputPace.enter();
        try {
            return new InstallAttempt(
                            message,
                            watchdog.effective(message.watchdog(), ssh),
                            connector,
                            adaptive,
                            watchdog,
                            ssh.pty(),
                            metrics,
                            secrets,
                            output,
                            outputPace,
                            sink,
                            files)
                    .run();
        } finally {
            outputPace.leave();
        }
    }

    /** The configured patterns and these values. */
    public RunSecrets secrets(java.util.Map<String, String> values) {
        return new RunSecrets(values, masker.with(values.values()));
    }

    @Override
    public void close() {
        handshakeTimer.shutdownNow();
    }
}
