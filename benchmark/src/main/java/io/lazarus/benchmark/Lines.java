package io.lazarus.benchmark;

import java.io.PrintStream;
import java.util.Locale;

/** The printed summary's layout: a label column, then the numbers. */
final class Lines {

    private Lines() {}

    static void line(PrintStream out, String label, String format, Object... args) {
        out.printf(Locale.ROOT, "%-22s%s%n", label, String.format(Locale.ROOT, format, args));
    }
}
