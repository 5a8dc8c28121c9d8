package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.report.JUnitReportWriter;
import io.lazarus.coordinator.report.JsonReportWriter;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.report.SummaryPrinter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** How every command ends a run's story: the reports asked for, the summary, and the exit code. */
final class Reports {

    private Reports() {
    }

    static int deliver(RunReport report, Path json, Path junit, PrintStream out) throws IOException {
        if (json != null) {
            JsonReportWriter.write(report, json);
        }
        if (junit != null) {
            JUnitReportWriter.write(report, junit);
        }
        SummaryPrinter.print(report, out);
        return report.allSucceeded() ? Cli.EXIT_OK : Cli.EXIT_NODES_FAILED;
    }
}
