package io.lazarus.fleet;

import java.time.Duration;

/**
 * How one simulated node answers. The install itself is simulated: the node records the command it was sent and
 * answers with {@code outputLines} lines of stdout, one every {@code outputInterval}, then {@code stderr}, then
 * {@code exitCode}.
 */
public record NodeBehavior(Fault fault, int outputLines, Duration outputInterval, int exitCode, String stderr) {

    public enum Fault {
        /** Serves SSH and runs the install. */
        NONE,
        /** Nothing listens: the kernel refuses the TCP connection. */
        REFUSE_CONNECTION,
        /** Accepts TCP and never sends an SSH banner. */
        NO_BANNER,
        /** Rejects every public key. */
        REJECT_AUTH
    }

    public NodeBehavior {
        if (fault == null) {
            throw new IllegalArgumentException("fault is required");
        }
        if (outputLines < 0) {
            throw new IllegalArgumentException("outputLines must be 0 or more");
        }
        outputInterval = outputInterval == null ? Duration.ZERO : outputInterval;
        stderr = stderr == null ? "" : stderr;
    }

    public static NodeBehavior succeed() {
        return new NodeBehavior(Fault.NONE, 3, Duration.ofMillis(5), 0, "");
    }

    /** Slow but steady: {@code lines} lines, one every {@code interval}. */
    public static NodeBehavior succeedSlowly(int lines, Duration interval) {
        return new NodeBehavior(Fault.NONE, lines, interval, 0, "");
    }

    public static NodeBehavior exitWith(int exitCode, String stderr) {
        return new NodeBehavior(Fault.NONE, 2, Duration.ofMillis(5), exitCode, stderr);
    }

    /** What apt-get says when the package does not exist. */
    public static NodeBehavior aptFailure() {
        return exitWith(100, "E: Unable to locate package tomcat9\n");
    }

    public static NodeBehavior refuseConnection() {
        return new NodeBehavior(Fault.REFUSE_CONNECTION, 0, Duration.ZERO, 0, "");
    }

    public static NodeBehavior noBanner() {
        return new NodeBehavior(Fault.NO_BANNER, 0, Duration.ZERO, 0, "");
    }

    public static NodeBehavior rejectAuth() {
        return new NodeBehavior(Fault.REJECT_AUTH, 0, Duration.ZERO, 0, "");
    }

    boolean servesSsh() {
        return fault == Fault.NONE || fault == Fault.REJECT_AUTH;
    }
}
