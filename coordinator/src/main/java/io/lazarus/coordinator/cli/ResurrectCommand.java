package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.resurrection.DrainReport;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.Judged;
import io.lazarus.coordinator.resurrection.ResurrectionDrain;
import io.lazarus.coordinator.resurrection.Verdict;
import io.lazarus.coordinator.run.RunService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "resurrect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drains the resurrection candidates (lazarus.resurrection) through the gatekeeper: a node that"
                + " succeeded since, a node of a cancelled run and an outcome that is not resurrectable never come"
                + " back; below the resurrection limit a node comes back as a new attempt; at the limit it moves to"
                + " lazarus.quarantine.",
                "A candidate is acknowledged only after its new attempt or its move is confirmed by the broker.",
                "Candidates of runs this registry does not know stay where they are."})
final class ResurrectCommand implements Callable<Integer> {

    private final RunService runs;
    private final ResurrectionDrain drain;

    @Option(names = "--run", paramLabel = "RUN", description = "only this run's candidates; the others stay in place")
    String runId;

    @Option(names = "--max", paramLabel = "N", description = "judge at most N candidates (default: all)")
    Integer max;

    @Option(names = "--dry-run", description = "say what would be done, and leave every candidate in place")
    boolean dryRun;

    @Option(names = "--limit", paramLabel = "N",
            description = "resurrections before a node is quarantined (default: lazarus.resurrection.limit, 3)")
    Integer limit;

    ResurrectCommand(RunService runs, ResurrectionDrain drain) {
        this.runs = runs;
        this.drain = drain;
    }

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new InputException("--max must be 1 or more, was " + max);
        }
        if (limit != null && limit < 0) {
            throw new InputException("--limit must be 0 or more, was " + limit);
        }
        runs.connect();
        PrintStream out = System.out;
        TreeSet<String> reopened = new TreeSet<>();
        DrainReport report = drain.drain(DrainRequest.byOperator(Optional.ofNullable(runId),
                max == null ? Integer.MAX_VALUE : max, dryRun, limit == null ? drain.limit() : limit), (Judged judged) -> {
            out.println(judged.describe());
            if (judged.verdict().kind() == Verdict.Kind.RESURRECT && !dryRun) {
                reopened.add(judged.candidate().runId());
            }
        });
        out.println((dryRun ? "dry run: " : "") + report.summary());
        reopened.forEach(run -> out.println("run " + run + " has new attempts: follow it with lazarus watch " + run));
        return Cli.EXIT_OK;
    }
}
