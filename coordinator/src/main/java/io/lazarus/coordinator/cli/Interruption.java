package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.run.RunService;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C while a run is followed detaches from it at the next turn of the follow loop, so the command ends in order
 * (no half-closed Spring context, no error line) and says how to re-attach; anywhere else, and a second Ctrl-C, end
 * the process as usual.
 */
final class Interruption {

    private Interruption() {}

    static void install(RunService runs) {
        AtomicInteger presses = new AtomicInteger();
        try {
            Signal.handle(new Signal("INT"), signal -> {
                if (presses.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(Cli.EXIT_INTERRUPTED);
                }
                if (runs.following()) {
                    runs.detach();
                } else {
                    System.exit(Cli.EXIT_INTERRUPTED);
                }
            });
        } catch (IllegalArgumentException unsupported) {
            // no SIGINT here (or the JVM keeps it, -Xrs): the JVM's own handling stays
        }
    }
}
