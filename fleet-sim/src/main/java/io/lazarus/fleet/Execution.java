package io.lazarus.fleet;

import java.time.Instant;

/**
 * One command a simulated node was asked to run, as it received it, and how it has ended so far. {@code exitCode} is
 * the status the node answers with if the command runs to its end ({@link Ending#EXITED}).
 */
public record Execution(String user, String command, Instant startedAt, int exitCode, Ending ending) {

    public enum Ending {
        /** Not ended yet. */
        RUNNING,
        /** Ran to its end and sent its exit status. */
        EXITED,
        /** The client closed the channel or the connection while the command still ran; the node stopped it. */
        TORN_DOWN,
        /** The node dropped the connection itself, without an exit status. */
        DROPPED
    }

    Execution endedAs(Ending ending) {
        return new Execution(user, command, startedAt, exitCode, ending);
    }
}
