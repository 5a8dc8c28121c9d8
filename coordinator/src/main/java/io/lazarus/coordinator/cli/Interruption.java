package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.run.Following;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) or SIGTERM (a CI job cancelled, a pod stopped, {@code kill}) while a run is followed detaches from
 * it at the next turn of the follow loop, so the command ends in order (no half-closed Spring context, no error line),
 * says how to re-attach and exits with 128 plus the signal's number; anywhere else, and a second signal, end the
 * process as the JVM would. A signal ignored when the JVM started (a shell's background job ignores SIGINT) stays
 * ignored.
 */
final class Interruption {

    private final AtomicInteger signals = new AtomicInteger();
    private final Following following;
    private volatile int exitCode = Cli.EXIT_INTERRUPTED;

    private Interruption(Following following) {
        this.following = following;
    }

    static Interruption install(Following following) {
        Interruption interruption = new Interruption(following);
        interruption.handle("INT", Cli.EXIT_INTERRUPTED);
        interruption.handle("TERM", Cli.EXIT_TERMINATED);
        return interruption;
    }

    /** The exit code of the signal that detached the command from its run. */
    int exitCode() {
        return exitCode;
    }

    private void handle(String name, int exit) {
        try {
            Signal.handle(new Signal(name), signal -> {
                if (signals.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(exit);
                }
                if (following.active()) {
                    exitCode = exit;
                    following.detach();
                } else {
                    System.exit(exit);
                }
            });
        } catch (IllegalArgumentException unsupported) {
            // ignored since the JVM started, or kept by the JVM (-Xrs): its own handling stays
        }
    }
}
