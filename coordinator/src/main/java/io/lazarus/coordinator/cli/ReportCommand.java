package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.run.rabbit.RunCatchUp;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Writes a run's reports from the registry, as they stand: the same JSON and JUnit XML as run --wait.")
final class ReportCommand implements Callable<Integer> {

    private final StoredReports reports;
    private final RegistryStore registry;
    private final RunCatchUp catchUp;
    private final ContextRelease release;

    @Parameters(paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    @Option(names = "--json", paramLabel = "FILE", description = "write the JSON report here (- for standard output)")
    Path json;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "write JUnit XML here, one test case per node (- for standard output)")
    Path junit;

    @Mixin
    OutputFormat output = new OutputFormat();

    ReportCommand(StoredReports reports, RegistryStore registry, RunCatchUp catchUp, ContextRelease release) {
        this.reports = reports;
        this.registry = registry;
        this.catchUp = catchUp;
        this.release = release;
    }

    @Override
    public Integer call() throws Exception {
        if (output.json()) {
            // the JSON report on standard output, as --json - writes it
            if (json != null && !Reports.STDOUT.equals(json)) {
                throw new InputException("-o json writes the JSON report to standard output: drop --json " + json);
            }
            json = Reports.STDOUT;
        }
        Reports.checkWritable(json, junit);
        RunRecord run = registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        PrintStream out = Reports.people(json, junit);
        RunCatchUp.Result caught = catchUp.collect(runId);
        String collected = run.finishedAt() == null ? caught.describe(runId) : caught.describeAfterEnd(runId);
        if (collected != null) {
            out.println(collected);
        }
        RunReport report = reports.report(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        return Reports.deliver(release, report, json, junit, out);
    }
}
