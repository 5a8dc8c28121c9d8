package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.DeadLetter;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.Quarantine;
import io.lazarus.coordinator.run.rabbit.BrokerConnection;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "quarantine",
        mixinStandardHelpOptions = true,
        description =
                "The parking queue lazarus.quarantine: nodes that reached the resurrection limit, poison messages,"
                        + " unreadable candidates.",
        subcommands = {QuarantineCommand.ListCommand.class, QuarantineCommand.ReleaseCommand.class})
final class QuarantineCommand {

    /** Which parked messages a command is about. */
    static final class Selection {
        @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "RUN", description = "only this run's nodes")
        String positionalRunId;

        @Option(names = "--run", paramLabel = "RUN", description = "the same as RUN")
        String runId;

        @Option(names = "--node", paramLabel = "NODE", description = "only this node (repeatable)")
        List<String> nodes;

        /** The run named, as RUN or as --run, or null. */
        String run() {
            if (positionalRunId != null && runId != null && !positionalRunId.equals(runId)) {
                throw new InputException("two runs named: " + positionalRunId + " and --run " + runId);
            }
            return positionalRunId != null ? positionalRunId : runId;
        }

        Predicate<DeadLetteredMessage> predicate() {
            String runId = run();
            Set<String> wanted = nodes == null ? Set.of() : Set.copyOf(nodes);
            return m -> (runId == null || runId.equals(m.runId())) && (wanted.isEmpty() || wanted.contains(m.nodeId()));
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Lists the parked nodes with why they were parked; every message stays in place.")
    static final class ListCommand implements java.util.concurrent.Callable<Integer> {

        private final BrokerConnection broker;
        private final Quarantine quarantine;

        @picocli.CommandLine.Mixin
        Selection selection = new Selection();

        @picocli.CommandLine.Mixin
        OutputFormat output = new OutputFormat();

        /** One parked node, as {@code -o json} lists it. */
        record ParkedNode(
                String runId,
                String nodeId,
                String attemptId,
                int attempt,
                DeadLetter deadLetter,
                String quarantinedAt,
                String reason) {

            static ParkedNode of(Quarantine.Parked parked) {
                DeadLetteredMessage m = parked.message();
                return new ParkedNode(
                        m.runId(),
                        m.nodeId(),
                        m.attemptId(),
                        m.attempt(),
                        m.deadLetter(),
                        parked.quarantinedAt(),
                        parked.reason());
            }
        }

        /** What {@code quarantine list -o json} writes. */
        record Listed(List<ParkedNode> parked, int count) {}

        ListCommand(BrokerConnection broker, Quarantine quarantine) {
            this.broker = broker;
            this.quarantine = quarantine;
        }

        @Override
        public Integer call() throws java.io.IOException {
            broker.connect();
            PrintStream out = System.out;
            List<Quarantine.Parked> parked = quarantine.list(selection.predicate());
            if (output.json()) {
                OutputFormat.write(
                        new Listed(parked.stream().map(ParkedNode::of).toList(), parked.size()));
                return Cli.EXIT_OK;
            }
            for (Quarantine.Parked p : parked) {
                DeadLetteredMessage m = p.message();
                out.printf(
                        "%s %s attempt %d, %d resurrection(s), dead-lettered %s, quarantined %s: %s%n",
                        m.runId(),
                        m.nodeId(),
                        m.attempt(),
                        m.deadLetter().resurrections(),
                        m.deadLetter().reason(),
                        p.quarantinedAt(),
                        p.reason());
            }
            out.printf("%d node(s) in quarantine%n", parked.size());
            return Cli.EXIT_OK;
        }
    }

    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = {
                "Sends parked nodes back as new attempts, their resurrections counted from zero.",
                "Name them with --run and/or --node, or release every one with --all."
            })
    static final class ReleaseCommand implements java.util.concurrent.Callable<Integer> {

        private final BrokerConnection broker;
        private final Quarantine quarantine;

        @picocli.CommandLine.Mixin
        Selection selection = new Selection();

        @Option(names = "--all", description = "release every parked node")
        boolean all;

        @Option(names = "--dry-run", description = "say what would be released, and leave every message in place")
        boolean dryRun;

        ReleaseCommand(BrokerConnection broker, Quarantine quarantine) {
            this.broker = broker;
            this.quarantine = quarantine;
        }

        @Override
        public Integer call() {
            boolean named = selection.run() != null || selection.nodes != null;
            if (named == all) {
                throw new InputException(
                        all
                                ? "--all releases every node: drop --run and --node, or --all"
                                : "name the nodes to release with --run and/or --node, or release every one with --all");
            }
            broker.connect();
            PrintStream out = System.out;
            TreeSet<String> reopened = new TreeSet<>();
            List<Quarantine.Released> released = quarantine.release(selection.predicate(), dryRun);
            int sent = 0;
            for (Quarantine.Released r : released) {
                DeadLetteredMessage m = r.parked().message();
                if (r.stayed() != null) {
                    out.printf(
                            "%s %s attempt %d: stays in quarantine: %s%n",
                            m.runId(), m.nodeId(), m.attempt(), r.stayed());
                    continue;
                }
                sent++;
                reopened.add(m.runId());
                out.printf(
                        "%s %s attempt %d: %s as attempt %d%n",
                        m.runId(), m.nodeId(), m.attempt(), dryRun ? "would be released" : "released", m.attempt() + 1);
            }
            out.printf(
                    dryRun
                            ? "dry run: %d of %d selected node(s) would be released; nothing was changed%n"
                            : "%d of %d selected node(s) released%n",
                    sent,
                    released.size());
            if (!dryRun) {
                reopened.forEach(
                        run -> out.println("run " + run + " has new attempts: follow it with lazarus watch " + run));
            }
            return Cli.EXIT_OK;
        }
    }
}
