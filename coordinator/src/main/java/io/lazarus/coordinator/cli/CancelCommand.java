package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.run.RunService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancels a run: whoever follows it releases no more of its nodes, and the workers run none of"
                    + " its nodes still queued (all end CANCELLED); nodes already running finish.",
            "Works on the registry: a shared PostgreSQL, or the local H2 file when no other lazarus process holds it."
        })
final class CancelCommand implements Callable<Integer> {

    private final RegistryStore registry;
    private final RunService runs;

    @Parameters(paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    CancelCommand(RegistryStore registry, RunService runs) {
        this.registry = registry;
        this.runs = runs;
    }

    @Override
    public Integer call() throws Exception {
        registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        if (runs.cancel(runId)) {
            System.out.println("run " + runId + " cancelled: no more of its nodes are released, and workers run none"
                    + " of those still queued");
        } else {
            System.out.println("run " + runId + " is not running: nothing to cancel");
        }
        return Cli.EXIT_OK;
    }
}
