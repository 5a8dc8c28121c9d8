package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.run.rabbit.RunCatchUp;
import io.lazarus.coordinator.status.RunViews;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows a run from the registry: its state, its nodes by state and by outcome, its manifest.")
final class StatusCommand implements Callable<Integer> {

    private final RegistryStore registry;
    private final RunCatchUp catchUp;
    private final RunViews views;

    @Parameters(paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    @Mixin
    OutputFormat output = new OutputFormat();

    StatusCommand(RegistryStore registry, RunCatchUp catchUp, RunViews views) {
        this.registry = registry;
        this.catchUp = catchUp;
        this.views = views;
    }

    @Override
    public Integer call() throws Exception {
        RunRecord run = registry.run(runId).orElseThrow(() -> unknown(runId));
        RunCatchUp.Result caught = catchUp.collect(runId);
        String collected = run.finishedAt() == null ? caught.describe(runId) : caught.describeAfterEnd(runId);
        if (output.json()) {
            if (collected != null) {
                System.err.println(collected);
            }
            // the API's view of the run, so that a script reads the same document from either
            OutputFormat.write(views.view(runId).orElseThrow(() -> unknown(runId)));
            return Cli.EXIT_OK;
        }
        List<NodeRecord> nodes = registry.nodes(runId, Optional.empty());
        Map<NodeState, Integer> states = new EnumMap<>(NodeState.class);
        Map<String, Integer> outcomes = new TreeMap<>();
        nodes.forEach(n -> {
            states.merge(n.state(), 1, Integer::sum);
            if (n.lastOutcome() != null) {
                outcomes.merge(n.lastOutcome().name(), 1, Integer::sum);
            }
        });
        long released =
                nodes.stream().filter(n -> n.dispatchedAttemptId() != null).count();
        PrintStream out = System.out;
        out.printf(
                "run %s %s since %s%s%n",
                run.runId(),
                run.state(),
                run.createdAt(),
                run.finishedAt() == null ? ", deadline " + run.deadline() : ", ended " + run.finishedAt());
        out.printf(
                "script %s (sha256 %s), %d command(s)%n",
                run.scriptName(), run.scriptSha256(), run.commands().size());
        out.printf("nodes %d, released %d%n", run.total(), released);
        out.println("by state:   " + describe(states));
        out.println("by outcome: " + (outcomes.isEmpty() ? "none yet" : describe(outcomes)));
        if (run.releaseStopped() != null) {
            out.println("release stopped: " + run.releaseStopped());
        }
        if (collected != null) {
            out.println(collected);
        }
        return Cli.EXIT_OK;
    }

    private static String describe(Map<?, Integer> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((key, count) ->
                text.append(text.isEmpty() ? "" : ", ").append(key).append(' ').append(count));
        return text.toString();
    }

    static InputException unknown(String runId) {
        return new InputException("no run " + runId + " in this registry (lazarus.registry.directory, or"
                + " spring.datasource.url when the registry is PostgreSQL)");
    }
}
