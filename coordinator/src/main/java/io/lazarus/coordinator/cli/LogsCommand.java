package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.logs.LogStreams;
import io.lazarus.coordinator.logs.NodeLogs;
import io.lazarus.coordinator.logs.TerminalText;
import io.lazarus.coordinator.registry.AttemptRecord;
import io.lazarus.coordinator.registry.OutputRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.run.rabbit.RunCatchUp;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = {
            "Prints what a node's script printed, from the registry: the whole output of its latest attempt (or of"
                    + " --attempt N), masked by the worker, up to the worker's output cap (a last line says when it"
                    + " was reached).",
            "With --follow, prints the output as it arrives and exits when the attempt finishes: 0 if it succeeded,"
                    + " 1 if it did not (or the run ended first)."
        })
final class LogsCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(250);
    /** Looks at the run's queue for events nobody follows at most this often. */
    private static final Duration CATCH_UP = Duration.ofSeconds(1);

    private final RegistryStore registry;
    private final NodeLogs logs;
    private final RunCatchUp catchUp;

    @Parameters(index = "0", paramLabel = "RUN", description = "the run id that lazarus run printed first")
    String runId;

    @Parameters(index = "1", paramLabel = "NODE", description = "the node's id, as lazarus status and reports show it")
    String nodeId;

    @Option(names = "--attempt", paramLabel = "N", description = "that attempt of the node (default: its latest)")
    Integer attempt;

    @Option(names = "--follow", description = "print the output as it arrives, until the attempt finishes")
    boolean follow;

    @Option(
            names = "--stream",
            paramLabel = "STREAM",
            defaultValue = "both",
            description = "stdout, stderr or both (default: ${DEFAULT-VALUE}, in the order the worker sent them)")
    String stream;

    LogsCommand(RegistryStore registry, NodeLogs logs, RunCatchUp catchUp) {
        this.registry = registry;
        this.logs = logs;
        this.catchUp = catchUp;
    }

    @Override
    public Integer call() throws Exception {
        LogStreams streams;
        try {
            streams = LogStreams.parse(stream);
        } catch (IllegalArgumentException e) {
            throw new InputException("--stream " + e.getMessage());
        }
        registry.run(runId).orElseThrow(() -> StatusCommand.unknown(runId));
        if (registry.node(runId, nodeId).isEmpty()) {
            throw new InputException("run " + runId + " has no node " + nodeId);
        }
        OptionalInt number = attempt == null ? OptionalInt.empty() : OptionalInt.of(attempt);
        String collected = catchUp.collect(runId).describe(runId);
        if (collected != null) {
            System.err.println(collected);
        }
        Printer out = new Printer(System.out, TerminalText.isTerminal());
        if (!follow) {
            AttemptRecord found = logs.attempt(runId, nodeId, number).orElseThrow(() -> noAttempt(number));
            out.print(logs.chunks(found.attemptId(), -1, streams));
            return Cli.EXIT_OK;
        }
        return follow(number, streams, out);
    }

    /** Prints chunks as they are recorded, in order; returns when the attempt (or the run) has ended. */
    private int follow(OptionalInt number, LogStreams streams, Printer out) throws InterruptedException {
        long printed = -1;
        long lastCatchUp = System.nanoTime();
        while (true) {
            Optional<AttemptRecord> found = logs.attempt(runId, nodeId, number);
            boolean finished = found.map(a -> a.finishedAt() != null).orElse(false);
            if (found.isPresent()) {
                // recorded before the FINISHED event that follows them: once it is here, so are they
                List<OutputRecord> chunks = logs.chunks(found.get().attemptId(), printed, LogStreams.BOTH);
                for (OutputRecord chunk : chunks) {
                    if (chunk.seq() != printed + 1 && !finished) {
                        break; // a chunk still on its way: print in order
                    }
                    if (streams.includes(chunk.stream())) {
                        out.print(List.of(chunk));
                    }
                    printed = chunk.seq();
                }
            }
            if (finished) {
                return found.get().outcome() == Outcome.SUCCEEDED ? Cli.EXIT_OK : Cli.EXIT_NODES_FAILED;
            }
            if (registry.run(runId).map(RunRecord::finishedAt).isPresent()) {
                System.err.println("run " + runId + " ended before the attempt of " + nodeId + " finished");
                return Cli.EXIT_NODES_FAILED;
            }
            if (System.nanoTime() - lastCatchUp >= CATCH_UP.toNanos()) {
                catchUp.collect(runId);
                lastCatchUp = System.nanoTime();
            }
            Thread.sleep(POLL);
        }
    }

    private InputException noAttempt(OptionalInt number) {
        return new InputException(
                number.isPresent()
                        ? "node " + nodeId + " of run " + runId + " has no attempt " + number.getAsInt()
                        : "no attempt of node " + nodeId + " of run " + runId
                                + " has started yet (lazarus logs --follow waits for it)");
    }

    /** The bytes as the script printed them; on a terminal, its control sequences shown, not obeyed. */
    private record Printer(PrintStream out, boolean terminal) {

        void print(List<OutputRecord> chunks) {
            for (OutputRecord chunk : chunks) {
                String text = terminal ? TerminalText.escape(chunk.text()) : chunk.text();
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
            out.flush();
        }
    }
}
