package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.registry.RegistryStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancels a run: whoever follows it releases no more of its nodes (they end CANCELLED); nodes"
                    + " already dispatched finish.",
            "Works on the registry: a shared PostgreSQL, or the local H2 file when no other lazarus process holds it."
        })
final class CancelCommand implements Callable<Integer> {

    private final RegistryStore registry;

    @Parameters(paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    CancelCommand(RegistryStore registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() throws Exception {
        registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        if (registry.requestCancel(runId)) {
            System.out.println("run " + runId + " cancelled: no more of its nodes are released");
        } else {
            System.out.println("run " + runId + " is not running: nothing to cancel");
        }
        return Cli.EXIT_OK;
    }
}
