package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.report.JUnitReportWriter;
import io.lazarus.coordinator.report.JsonReportWriter;
import io.lazarus.coordinator.report.ReportFiles;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.report.SummaryPrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** How every command ends a run's story: the reports asked for, the summary, and the exit code. */
final class Reports {

    /** {@code --json -}: the JSON report goes to standard output, and everything meant for people to standard error. */
    static final Path STDOUT = Path.of("-");

    private Reports() {}

    /**
     * Refuses report paths that could not be written, before anything is published: a report lost after every node
     * ran is the one thing a report must not be.
     */
    static void checkWritable(Path json, Path junit) {
        if (STDOUT.equals(json) && STDOUT.equals(junit)) {
            throw new InputException("--json - and --junit - cannot both go to standard output");
        }
        checkWritable("--json", json);
        checkWritable("--junit", junit);
    }

    private static void checkWritable(String option, Path file) {
        if (file == null || STDOUT.equals(file)) {
            return;
        }
        Path target = file.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new InputException(option + " " + file + ": is a directory");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            throw new InputException(option + " " + file + ": cannot be written (permission denied)");
        }
        Path ancestor = target.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            throw new InputException(option + " " + file + ": cannot be written: " + ancestor + " is not a directory");
        }
        if (ancestor.equals(target.getParent())) {
            // the report is written beside its target, then moved over it: try exactly that
            try {
                Files.delete(Files.createTempFile(ancestor, "." + target.getFileName(), ".check"));
            } catch (IOException e) {
                throw new InputException(option + " " + file + ": cannot be written: " + e.getMessage());
            }
        } else if (!Files.isWritable(ancestor)) {
            throw new InputException(option + " " + file + ": cannot be written: " + ancestor + " is not writable");
        }
    }

    /** Where the lines meant for people go: standard error when a report takes standard output. */
    static PrintStream people(Path json, Path junit) {
        return STDOUT.equals(json) || STDOUT.equals(junit) ? System.err : System.out;
    }

    /** The reports and the summary of a finished command, the context closing meanwhile: the command is done with it. */
    static int deliver(ContextRelease release, RunReport report, Path json, Path junit, PrintStream out)
            throws IOException {
        release.start();
        // the two reports side by side, a core each
        CompletableFuture<Void> junitWritten = junit == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> writeJunit(report, junit));
        if (json != null) {
            writeJson(JsonReportWriter.bytes(report), json);
        }
        try {
            junitWritten.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException unwritten) {
                throw unwritten.getCause();
            }
            throw e;
        }
        SummaryPrinter.print(report, out);
        return report.allSucceeded() ? Cli.EXIT_OK : Cli.EXIT_NODES_FAILED;
    }

    /** {@link #deliver(ContextRelease, RunReport, Path, Path, PrintStream)} for the reports a service wrote. */
    static int deliver(ContextRelease release, ServedReport report, Path json, Path junit, PrintStream out)
            throws IOException {
        release.start();
        if (junit != null) {
            writeJunit(report.junit(), junit);
        }
        if (json != null) {
            writeJson(report.json(), json);
        }
        out.print(report.summary());
        out.flush();
        return report.allSucceeded() ? Cli.EXIT_OK : Cli.EXIT_NODES_FAILED;
    }

    /** The JSON report to its file, or to standard output as a line of its own. */
    private static void writeJson(byte[] report, Path json) throws IOException {
        if (STDOUT.equals(json)) {
            System.out.write(report);
            System.out.println();
            System.out.flush();
        } else {
            ReportFiles.write(json, report);
        }
    }

    private static void writeJunit(byte[] report, Path junit) throws IOException {
        if (STDOUT.equals(junit)) {
            System.out.write(report);
            System.out.flush();
        } else {
            ReportFiles.write(junit, report);
        }
    }

    private static void writeJunit(RunReport report, Path junit) {
        try {
            writeJunit(JUnitReportWriter.bytes(report), junit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
