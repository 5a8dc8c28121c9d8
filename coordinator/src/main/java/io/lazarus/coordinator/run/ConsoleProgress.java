package io.lazarus.coordinator.run;

import java.io.PrintStream;

/** Progress on a console: each line flushed, so a CI log shows it as it happens. */
final class ConsoleProgress implements Progress {

    private final PrintStream out;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void println(String line) {
        out.println(line);
        out.flush();
    }
}
