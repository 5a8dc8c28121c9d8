package io.lazarus.fleet;

import java.time.Duration;

/**
 * How one simulated node answers. The install itself is simulated: the node records the command it was sent and
 * answers with {@code outputLines} lines of stdout, each followed by a pause of {@code outputInterval}, then
 * {@code stderr}, then {@code exitCode} — unless its {@link Fault} says otherwise. {@code failures} is how many
 * first commands a {@link Fault#FLAKY} node fails.
 */
public record NodeBehavior(
        Fault fault, int outputLines, Duration outputInterval, int exitCode, String stderr, int failures) {

    /** What apt-get says when another apt-get holds the dpkg lock: the stderr of a flaky node's failures. */
    public static final String DPKG_LOCKED =
            "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)\n";

    private static final Duration STEP = Duration.ofMillis(5);

    public enum Fault {
        /** Serves SSH and runs the install. */
        NONE,
        /** Nothing listens: the kernel refuses the TCP connection. */
        REFUSE_CONNECTION,
        /** Accepts TCP and never sends an SSH banner. */
        NO_BANNER,
        /** Rejects every public key. */
        REJECT_AUTH,
        /** Exchanges keys, then never answers the authentication request. */
        HANG_AUTH,
        /** Presents a host key other than the one the fleet advertises for it: it was re-imaged. */
        CHANGED_HOST_KEY,
        /** Prints its output lines, then goes silent without exiting until the client tears the channel down. */
        STALL_AFTER_OUTPUT,
        /** Prints its output lines, then drops the whole SSH connection without sending an exit status. */
        DROP_SESSION,
        /** Its first {@code failures} commands find the dpkg lock held and exit 100; later ones run normally. */
        FLAKY
    }

    public NodeBehavior {
        if (fault == null) {
            throw new IllegalArgumentException("fault is required");
        }
        if (outputLines < 0 || failures < 0) {
            throw new IllegalArgumentException("outputLines and failures must be 0 or more");
        }
        outputInterval = outputInterval == null ? Duration.ZERO : outputInterval;
        stderr = stderr == null ? "" : stderr;
    }

    public static NodeBehavior succeed() {
        return new NodeBehavior(Fault.NONE, 3, STEP, 0, "", 0);
    }

    /** Slow but steady: {@code lines} lines, one every {@code interval}. */
    public static NodeBehavior succeedSlowly(int lines, Duration interval) {
        return new NodeBehavior(Fault.NONE, lines, interval, 0, "", 0);
    }

    /** A successful install that takes {@code duration}, its {@code lines} lines (at least one) evenly spread over it. */
    public static NodeBehavior install(Duration duration, int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("an install prints at least one line");
        }
        return succeedSlowly(lines, duration.dividedBy(lines));
    }

    public static NodeBehavior exitWith(int exitCode, String stderr) {
        return new NodeBehavior(Fault.NONE, 2, STEP, exitCode, stderr, 0);
    }

    /** What apt-get says when the package does not exist. */
    public static NodeBehavior aptFailure() {
        return exitWith(100, "E: Unable to locate package tomcat9\n");
    }

    public static NodeBehavior refuseConnection() {
        return new NodeBehavior(Fault.REFUSE_CONNECTION, 0, Duration.ZERO, 0, "", 0);
    }

    public static NodeBehavior noBanner() {
        return new NodeBehavior(Fault.NO_BANNER, 0, Duration.ZERO, 0, "", 0);
    }

    public static NodeBehavior rejectAuth() {
        return new NodeBehavior(Fault.REJECT_AUTH, 0, Duration.ZERO, 0, "", 0);
    }

    /** Banner and key exchange, then silence: the public-key authentication is never answered. */
    public static NodeBehavior hangAuth() {
        return new NodeBehavior(Fault.HANG_AUTH, 0, Duration.ZERO, 0, "", 0);
    }

    /** Installs like {@link #succeed()} but presents a host key that differs from its {@link SimulatedNode#advertisedHostKey()}. */
    public static NodeBehavior changedHostKey() {
        return new NodeBehavior(Fault.CHANGED_HOST_KEY, 3, STEP, 0, "", 0);
    }

    /** Prints {@code lines} lines, then stays silent and never exits until the client closes the channel. */
    public static NodeBehavior stallAfter(int lines) {
        return new NodeBehavior(Fault.STALL_AFTER_OUTPUT, lines, STEP, 0, "", 0);
    }

    /** Prints {@code lines} lines, then closes the SSH connection itself without an exit status. */
    public static NodeBehavior dropAfter(int lines) {
        return new NodeBehavior(Fault.DROP_SESSION, lines, STEP, 0, "", 0);
    }

    /** The node's first {@code failures} commands exit 100 with {@link #DPKG_LOCKED}; later ones run like {@link #succeed()}. */
    public static NodeBehavior flaky(int failures) {
        return new NodeBehavior(Fault.FLAKY, 3, STEP, 0, "", failures);
    }

    boolean servesSsh() {
        return fault != Fault.REFUSE_CONNECTION && fault != Fault.NO_BANNER;
    }

    /** How the {@code number}-th command run on the node (from 1) answers. */
    NodeBehavior forCommand(int number) {
        return fault == Fault.FLAKY && number <= failures ? exitWith(100, DPKG_LOCKED) : this;
    }
}
