package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.run.Progress;
import io.lazarus.coordinator.run.RunIds;
import io.lazarus.coordinator.run.RunOptions;
import io.lazarus.coordinator.run.RunService;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rerun",
        mixinStandardHelpOptions = true,
        description =
                "Runs a recorded run again as a new run: the same inventory, script and options, from the registry.")
final class RerunCommand implements Callable<Integer>, OptionsChecked {

    private final RunService runs;
    private final BrokerConnection broker;
    private final RegistryStore registry;
    private final ContextRelease release;

    @Parameters(paramLabel = "RUN", description = "the run to repeat")
    String runId;

    @Option(names = "--wait", description = "follow the new run until every node has an outcome, then report")
    boolean waitForOutcome;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "write the JSON report here (with --wait; - for standard output)")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "write JUnit XML here (with --wait)")
    Path junit;

    RerunCommand(RunService runs, BrokerConnection broker, RegistryStore registry, ContextRelease release) {
        this.runs = runs;
        this.broker = broker;
        this.registry = registry;
        this.release = release;
    }

    @Override
    public void checkOptions() {
        if ((json != null || junit != null) && !waitForOutcome) {
            throw new InputException("--json and --junit need --wait: without it there is no outcome to report");
        }
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Reports.checkWritable(json, junit);
        RunRecord original = registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        RunOptions recorded = Contracts.mapper().readValue(original.options(), RunOptions.class);
        if (recorded.flow().limitsRelease() && !waitForOutcome) {
            throw new InputException("run " + runId + " used flow control: rerun it with --wait");
        }
        RunOptions options = new RunOptions(
                waitForOutcome,
                recorded.deadline(),
                recorded.maxNodeTime(),
                recorded.watchdog(),
                recorded.flow(),
                recorded.ghostGrace(),
                recorded.progressInterval(),
                waitForOutcome ? recorded.resurrectDelay() : null,
                recorded.secrets(),
                recorded.vars(),
                recorded.uploads(),
                recorded.history());
        // the nodes exactly as the run had them, user and port included
        List<InventoryNode> nodes = registry.nodes(runId, java.util.Optional.empty()).stream()
                .map(n -> new InventoryNode(
                        n.nodeId(),
                        n.user(),
                        n.host(),
                        n.port(),
                        n.facts(),
                        new InventoryNode.Source("run " + runId, 0)))
                .toList();
        InstallScript script = new InstallScript(original.scriptName(), original.commands(), original.scriptSha256());
        String newRunId = RunIds.next();
        PrintStream out = Reports.people(json, junit);
        out.println("run " + newRunId);
        out.printf(
                "rerunning %s: %d node(s), script %s (sha256 %s)%n",
                runId, nodes.size(), script.name(), script.sha256().substring(0, 12));
        out.flush();
        broker.connect();
        RunReport report = runs.run(newRunId, nodes, original.inventory(), script, options, Progress.to(out));
        if (report == null) {
            return Cli.EXIT_OK;
        }
        return Reports.deliver(release, report, json, junit, out);
    }
}
