package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes a run's reports from the registry, as they stand: the same JSON and JUnit XML as run --wait.")
final class ReportCommand implements Callable<Integer> {

    private final StoredReports reports;

    @Parameters(paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    @Option(names = "--json", paramLabel = "FILE", description = "write the JSON report here")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "write JUnit XML here, one test case per node")
    Path junit;

    ReportCommand(StoredReports reports) {
        this.reports = reports;
    }

    @Override
    public Integer call() throws Exception {
        RunReport report = reports.report(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        return Reports.deliver(report, json, junit, System.out);
    }
}
