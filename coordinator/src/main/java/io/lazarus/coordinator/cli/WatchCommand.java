package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.run.Progress;
import io.lazarus.coordinator.run.RunService;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Attaches to a run and waits for its end, then reports like run --wait.",
            "A run whose coordinator was killed is taken up where the registry left it: events it missed are still"
                    + " in the run's queue, and nodes it had not released are released."
        })
final class WatchCommand implements Callable<Integer> {

    private final RunService runs;
    private final BrokerConnection broker;
    private final RegistryStore registry;
    private final StoredReports reports;
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

    WatchCommand(
            RunService runs,
            BrokerConnection broker,
            RegistryStore registry,
            StoredReports reports,
            ContextRelease release) {
        this.runs = runs;
        this.broker = broker;
        this.registry = registry;
        this.reports = reports;
        this.release = release;
    }

    @Override
    public Integer call() throws Exception {
        Reports.checkWritable(json, junit);
        registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        broker.connect();
        PrintStream out = Reports.people(json, junit);
        RunReport report = runs.resume(runId, Progress.to(out));
        if (report == null) {
            out.println("run " + runId + " has ended; its report from the registry:");
            report = reports.report(runId).orElseThrow();
        }
        return Reports.deliver(release, report, json, junit, out);
    }
}
