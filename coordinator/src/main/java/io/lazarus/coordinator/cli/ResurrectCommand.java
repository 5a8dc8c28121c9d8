package io.lazarus.coordinator.cli;

import io.lazarus.coordinator.resurrection.DrainReport;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.Judged;
import io.lazarus.coordinator.resurrection.ResurrectionDrain;
import io.lazarus.coordinator.resurrection.Verdict;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import java.io.PrintStream;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "resurrect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Drains the resurrection candidates (lazarus.resurrection) through the gatekeeper: a node that"
                    + " succeeded since, a node of a cancelled run and an outcome that is not resurrectable never come"
                    + " back; below the resurrection limit a node comes back as a new attempt; at the limit it moves to"
                    + " lazarus.quarantine.",
            "A candidate is acknowledged only after its new attempt or its move is confirmed by the broker.",
            "Candidates of runs this registry does not know stay where they are."
        })
final class ResurrectCommand implements Callable<Integer> {

    private final BrokerConnection broker;
    private final ResurrectionDrain drain;

    @Parameters(
            arity = "0..1",
            paramLabel = "RUN",
            description = "only this run's candidates; the others stay in place")
    String positionalRunId;

    @Option(names = "--run", paramLabel = "RUN", description = "the same as RUN")
    String runId;

    @Option(names = "--max", paramLabel = "N", description = "judge at most N candidates (default: all)")
    Integer max;

    @Option(names = "--dry-run", description = "say what would be done, and leave every candidate in place")
    boolean dryRun;

    @Option(
            names = "--resurrection-limit",
            paramLabel = "N",
            description = "resurrections before a node is quarantined (default: lazarus.resurrection.limit, 3)")
    Integer limit;

    ResurrectCommand(BrokerConnection broker, ResurrectionDrain drain) {
        this.broker = broker;
        this.drain = drain;
    }

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new InputException("--max must be 1 or more, was " + max);
        }
        if (limit != null && limit < 0) {
            throw new InputException("--resurrection-limit must be 0 or more, was " + limit);
        }
        if (positionalRunId != null && runId != null && !positionalRunId.equals(runId)) {
            throw new InputException("two runs named: " + positionalRunId + " and --run " + runId);
        }
        String only = positionalRunId != null ? positionalRunId : runId;
        broker.connect();
        PrintStream out = System.out;
        TreeSet<String> reopened = new TreeSet<>();
        DrainReport report = drain.drain(
                DrainRequest.byOperator(
                        Optional.ofNullable(only),
                        max == null ? Integer.MAX_VALUE : max,
                        dryRun,
                        limit == null ? drain.limit() : limit),
                (Judged judged) -> {
                    out.println(judged.describe());
                    if (judged.verdict().kind() == Verdict.Kind.RESURRECT && !dryRun) {
                        reopened.add(judged.candidate().runId());
                    }
                });
        out.println(dryRun ? wouldDo(report) : report.summary());
        reopened.forEach(run -> out.println("run " + run + " has new attempts: follow it with lazarus watch " + run));
        return Cli.EXIT_OK;
    }

    /** A dry run's summary says what would happen: nothing did. */
    private static String wouldDo(DrainReport report) {
        String verdicts = java.util.stream.Stream.of(
                        counted(report.count(Verdict.Kind.RESURRECT), "would resurrect"),
                        counted(report.count(Verdict.Kind.QUARANTINE), "would quarantine"),
                        counted(report.count(Verdict.Kind.DROP), "would drop"),
                        counted(report.count(Verdict.Kind.LEAVE), "would leave in place"))
                .filter(text -> !text.isEmpty())
                .collect(java.util.stream.Collectors.joining(", "));
        return "dry run: %d candidate(s) judged%s; nothing was changed; %d of other runs (or not due yet) left in place"
                .formatted(report.judged().size(), verdicts.isEmpty() ? "" : ": " + verdicts, report.leftForOthers());
    }

    private static String counted(int count, String what) {
        return count == 0 ? "" : what + " " + count;
    }
}
