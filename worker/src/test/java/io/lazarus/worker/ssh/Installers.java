package io.lazarus.worker.ssh;

import io.lazarus.common.files.ContentStore;
import io.lazarus.common.files.DirectoryContentStore;
import io.lazarus.testkit.ClientKey;
import io.lazarus.worker.secrets.Masker;
import io.lazarus.worker.secrets.MaskingProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Installers with test-sized limits: short timeouts, so that every fault shows within seconds. */
record Installers(ClientKey key, ContentStore files) {

    Installers(ClientKey key) {
        this(key, new DirectoryContentStore(key.privateKey().resolveSibling("files")));
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration AUTH_TIMEOUT = Duration.ofMillis(700);
    static final int CONNECT_ATTEMPTS = 3;
    static final Duration BACKOFF = Duration.ofMillis(100);
    /** The worker's default. */
    static final int MAX_HANDSHAKES = 64;

    SshInstaller installer(String policy, Path knownHosts, WatchdogProperties watchdog) {
        return installer(policy, knownHosts, watchdog, true);
    }

    SshInstaller installer(String policy, Path knownHosts, WatchdogProperties watchdog, boolean pty) {
        return installer(
                policy,
                knownHosts,
                watchdog,
                pty,
                CONNECT_TIMEOUT,
                new SshMetrics(new SimpleMeterRegistry(), List.of()),
                MAX_HANDSHAKES);
    }

    /** With a connect timeout of its own, and metrics that tell the test's observers. */
    SshInstaller installer(String policy, Path knownHosts, Duration connectTimeout, SshMetrics metrics) {
        return installer(policy, knownHosts, watchdog(), true, connectTimeout, metrics, MAX_HANDSHAKES);
    }

    /** With at most this many handshakes at once. */
    SshInstaller installer(String policy, Path knownHosts, int maxHandshakes) {
        return installer(
                policy,
                knownHosts,
                watchdog(),
                true,
                CONNECT_TIMEOUT,
                new SshMetrics(new SimpleMeterRegistry(), List.of()),
                maxHandshakes);
    }

    private SshInstaller installer(
            String policy,
            Path knownHosts,
            WatchdogProperties watchdog,
            boolean pty,
            Duration connectTimeout,
            SshMetrics metrics,
            int maxHandshakes) {
        SshProperties ssh = new SshProperties(
                key.privateKey(),
                knownHosts,
                policy,
                connectTimeout,
                AUTH_TIMEOUT,
                CONNECT_ATTEMPTS,
                BACKOFF,
                BACKOFF,
                Duration.ofSeconds(15),
                pty,
                maxHandshakes);
        return new SshInstaller(
                ssh, watchdog, metrics, Masker.of(MaskingProperties.defaults()), OutputProperties.defaults(), files);
    }

    static WatchdogProperties watchdog() {
        return watchdog(Duration.ofSeconds(5), 1, 4096);
    }

    /** A 10 s command timeout, a 20 s node deadline, one command attempt, adaptive stall off. */
    static WatchdogProperties watchdog(Duration stallTimeout, int stallRetries, int tailBytes) {
        return watchdog(stallTimeout, stallRetries, 1, tailBytes);
    }

    static WatchdogProperties watchdog(Duration stallTimeout, int stallRetries, int commandAttempts, int tailBytes) {
        return new WatchdogProperties(
                stallTimeout,
                stallRetries,
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofSeconds(30),
                commandAttempts,
                Duration.ZERO,
                tailBytes,
                new WatchdogProperties.AdaptiveStall(false, Duration.ofMillis(200), 3));
    }
}
