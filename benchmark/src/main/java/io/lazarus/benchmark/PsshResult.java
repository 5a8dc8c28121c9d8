package io.lazarus.benchmark;

import static io.lazarus.benchmark.Lines.line;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * parallel-ssh's numbers, beside Lazarus's on the same OpenSSH nodes.
 *
 * @param parallelism         parallel-ssh's {@code -p}: every node at once
 * @param wallSeconds         the parallel-ssh process from start to exit (Python's start included)
 * @param clientCpuSeconds    CPU time of parallel-ssh and its ssh clients
 * @param fleetCpuSeconds     CPU time of the sshd fleet meanwhile (logins and install shells)
 * @param lazarusRunSeconds   the {@code lazarus run --wait} process's wall time (its JVM start included)
 * @param lazarusWallOverPsshWall lazarus run wall / parallel-ssh wall
 * @param lazarusMakespanOverPsshWall Lazarus makespan (first publish to last outcome) / parallel-ssh wall
 */
record PsshResult(
        int nodes,
        int parallelism,
        int succeeded,
        int failed,
        int exitCode,
        double wallSeconds,
        double nodesPerSecond,
        double clientCpuSeconds,
        double fleetCpuSeconds,
        double lazarusRunSeconds,
        double lazarusMakespanSeconds,
        double lazarusWallOverPsshWall,
        double lazarusMakespanOverPsshWall,
        List<String> command,
        List<String> firstFailures) {

    private static final int FAILURES_SHOWN = 10;

    static PsshResult of(
            ParallelSsh.Outcome outcome,
            int nodes,
            double fleetCpuSeconds,
            double lazarusRunSeconds,
            double lazarusMakespanSeconds) {
        List<String> failures = outcome.failures();
        double wall = outcome.wallSeconds();
        return new PsshResult(
                nodes,
                nodes,
                (int) outcome.succeeded(),
                nodes - (int) outcome.succeeded(),
                outcome.exitCode(),
                Numbers.round(wall),
                Numbers.round(nodes / wall),
                Numbers.round(outcome.clientCpu().toMillis() / 1000.0),
                Numbers.round(fleetCpuSeconds),
                lazarusRunSeconds,
                lazarusMakespanSeconds,
                Numbers.round(lazarusRunSeconds / wall),
                Numbers.round(lazarusMakespanSeconds / wall),
                outcome.command(),
                failures.subList(0, Math.min(FAILURES_SHOWN, failures.size())));
    }

    boolean allSucceeded() {
        return succeeded == nodes && exitCode == 0;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%n== parallel-ssh: the same %d OpenSSH nodes, -p %d, -t 0 ==%n", nodes, parallelism);
        line(out, "outcomes", "%d [SUCCESS], %d not   (exit %d)", succeeded, failed, exitCode);
        line(
                out,
                "pssh, wall",
                "%.2f s   (the parallel-ssh process: Python start, %d ssh clients, logins, installs)",
                wallSeconds,
                nodes);
        line(out, "nodes per second", "%.1f", nodesPerSecond);
        line(
                out,
                "CPU",
                "parallel-ssh and its ssh clients %.1f s, sshd fleet %.1f s",
                clientCpuSeconds,
                fleetCpuSeconds);
        line(out, "lazarus run, wall", "%.2f s   (makespan %.2f s)", lazarusRunSeconds, lazarusMakespanSeconds);
        line(
                out,
                "Lazarus / pssh",
                "wall %.2f s / %.2f s = %.2f   (makespan / pssh wall = %.2f)",
                lazarusRunSeconds,
                wallSeconds,
                lazarusWallOverPsshWall,
                lazarusMakespanOverPsshWall);
        firstFailures.forEach(f -> line(out, "failed", "%s", f));
    }
}
