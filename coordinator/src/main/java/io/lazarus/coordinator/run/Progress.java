package io.lazarus.coordinator.run;

import java.io.PrintStream;

/** Port: where a run tells people how it goes, a line at a time (the console, or nowhere for the service). */
@FunctionalInterface
public interface Progress {

    /** Says nothing: the service's runs are read through its API. */
    Progress QUIET = line -> {};

    void println(String line);

    static Progress to(PrintStream out) {
        return new ConsoleProgress(out);
    }
}
