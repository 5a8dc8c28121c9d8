package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.DeadLetter;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.DrainReport;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.Judged;
import io.lazarus.coordinator.resurrection.ResurrectionDrain;
import io.lazarus.coordinator.resurrection.Verdict;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    OutputFormat output = new OutputFormat();

    /** One judged candidate, as {@code -o json} lists it; {@code nextAttempt} only for one that (would) come back. */
    record JudgedNode(
            String runId,
            String nodeId,
            String attemptId,
            int attempt,
            DeadLetter deadLetter,
            Verdict.Kind verdict,
            String detail,
            Integer nextAttempt,
            String nextAttemptId,
            int resurrections) {

        static JudgedNode of(Judged judged) {
            DeadLetteredMessage c = judged.candidate();
            boolean back = judged.verdict().kind() == Verdict.Kind.RESURRECT;
            return new JudgedNode(
                    c.runId(),
                    c.nodeId(),
                    c.attemptId(),
                    c.attempt(),
                    c.deadLetter(),
                    judged.verdict().kind(),
                    judged.verdict().detail(),
                    back ? judged.nextAttempt() : null,
                    back ? judged.nextAttemptId() : null,
                    judged.resurrections());
        }
    }

    /** What {@code resurrect -o json} writes: every candidate judged, the verdicts counted. */
    record Drained(boolean dryRun, List<JudgedNode> judged, Map<Verdict.Kind, Integer> counts, int leftForOthers) {

        static Drained of(DrainReport report, boolean dryRun) {
            Map<Verdict.Kind, Integer> counts = new EnumMap<>(Verdict.Kind.class);
            for (Verdict.Kind kind : Verdict.Kind.values()) {
                counts.put(kind, report.count(kind));
            }
            return new Drained(
                    dryRun, report.judged().stream().map(JudgedNode::of).toList(), counts, report.leftForOthers());
        }
    }

    ResurrectCommand(BrokerConnection broker, ResurrectionDrain drain) {
        this.broker = broker;
        this.drain = drain;
    }

    @Override
    public Integer call() throws java.io.IOException {
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
        PrintStream out = output.people();
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
        if (output.json()) {
            OutputFormat.write(Drained.of(report, dryRun));
        }
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
