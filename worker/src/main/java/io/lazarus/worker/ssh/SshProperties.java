package io.lazarus.worker.ssh;

import io.lazarus.common.retry.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.ssh.*}: how the worker reaches nodes. The private key lives with the worker; messages only name
 * the node.
 *
 * @param identityFile      private key the worker authenticates with
 * @param knownHosts        known_hosts file: read under {@code strict}, read and appended under {@code accept-new}
 * @param hostKeyPolicy     {@code strict}, {@code accept-new} or {@code off}
 * @param connectTimeout    TCP connect, SSH banner and key exchange, per attempt
 * @param authTimeout       authentication, from the accepted host key to the login
 * @param connectAttempts   attempts for failures worth retrying (refused, unreachable, timeouts)
 * @param connectBackoff    the first pause between attempts; each next one doubles (full jitter: see {@link Backoff})
 * @param connectBackoffMax cap of one backoff pause
 * @param keepalive         interval of SSH keepalives; three unanswered ones end the session as DISCONNECTED
 * @param pty               run commands on a pseudo-terminal, so that a torn-down session hangs up the remote command
 *                          (SIGHUP); the node then sends stderr merged into stdout
 * @param maxHandshakes     handshakes (TCP connect to login) at once; further attempts wait their turn before they
 *                          connect, their connect timeout not yet started (see {@link HandshakeGate})
 */
@ConfigurationProperties("lazarus.ssh")
public record SshProperties(
        Path identityFile,
        Path knownHosts,
        @DefaultValue("accept-new") String hostKeyPolicy,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("10s") Duration authTimeout,
        @DefaultValue("3") int connectAttempts,
        @DefaultValue("1s") Duration connectBackoff,
        @DefaultValue("10s") Duration connectBackoffMax,
        @DefaultValue("15s") Duration keepalive,
        @DefaultValue("true") boolean pty,
        @DefaultValue("64") int maxHandshakes) {

    public SshProperties {
        // a @DefaultValue is not resolved: "${user.home}" would stay in the path, and in every error about it
        String home = System.getProperty("user.home");
        identityFile = identityFile != null ? identityFile : Path.of(home, ".ssh", "id_ecdsa");
        knownHosts = knownHosts != null ? knownHosts : Path.of(home, ".lazarus", "known_hosts");
        if (connectAttempts < 1) {
            throw new IllegalArgumentException(
                    "lazarus.ssh.connect-attempts must be 1 or more, was " + connectAttempts);
        }
        if (connectBackoff.isNegative() || connectBackoffMax.isNegative()) {
            throw new IllegalArgumentException(
                    "lazarus.ssh.connect-backoff and connect-backoff-max cannot be negative");
        }
        if (maxHandshakes < 1) {
            throw new IllegalArgumentException("lazarus.ssh.max-handshakes must be 1 or more, was " + maxHandshakes);
        }
        HostKeyPolicy.parse(hostKeyPolicy);
    }

    /** The pauses between connect attempts. */
    public Backoff connectPauses() {
        return new Backoff(connectBackoff, connectBackoffMax, true);
    }

    public HostKeyPolicy policy() {
        return HostKeyPolicy.parse(hostKeyPolicy);
    }
}
