package io.lazarus.benchmark;

import static io.lazarus.benchmark.Lines.line;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of one benchmark run.
 *
 * @param warmupNodes         nodes of the unmeasured run before this one (0: the workers' JIT was cold)
 * @param warmupRuns          how many unmeasured runs on those nodes came first (a service's JIT settles over several)
 * @param fleet               what served the nodes, and what its own processes cost during the run
 * @param makespanSeconds     from the coordinator's report: the run's start (before its nodes are registered and its
 *                            first message published) to the last outcome
 * @param fromFirstMessageSeconds from the run's first install message arriving at the broker to the last outcome: the
 *                            part of the makespan that is the workers' (what a client with the node list in memory
 *                            would also spend); -1 if no first message was seen
 * @param lazarusRunSeconds   wall clock of the {@code lazarus run} process, JVM start and report writing included
 * @param overheadSeconds     makespan minus the install length: what Lazarus, SSH and the shared CPUs added
 * @param nodeAttemptP50Ms    a node's attempt as its worker measured it (connect plus install), median
 * @param benchmarkCpuSeconds CPU time of the benchmark's own JVM during the run: mostly the simulated SSH fleet, if
 *                            that is the fleet
 * @param coordinatorCpuSeconds CPU time of {@code lazarus run}, its JVM start included
 * @param machineBusySeconds  CPU time the whole machine used during the run: minus the benchmark's processes, what the
 *                            broker and anything else running took
 * @param brokerCpuSeconds    CPU time of this machine's RabbitMQ processes (beam.smp) during the run; 0 for a remote broker
 * @param helpMs              wall time of {@code lazarus --help}, median of five
 * @param startToFirstPublishMs from starting {@code lazarus run} to its first install message arriving at the broker
 *                            (a copy in a queue of the benchmark's own); -1 if none was seen
 * @param lastOutcomeToExitMs from the last outcome (the report's finishedAt) to the process's exit
 * @param limit               {@code adaptive} (the workers' in-flight limit under the prefetch) or {@code fixed} (every
 *                            delivery starts at once: prefetch is the only bound)
 * @param timeToStartP50Ms    from the run's start (the report's startedAt) to a node's install start on the fleet,
 *                            median; -1 when the fleet cannot tell (OpenSSH)
 * @param workerEvents        attempt events the workers published during the run, by type, and the messages they
 *                            went out in ({@link WorkerProbe#MESSAGES})
 * @param commandsFromAotCache whether {@code ./lazarus} started from the build's AOT cache ({@link LauncherCache}):
 *                            without it the help and start numbers are not a user's
 */
record BenchmarkResult(
        int nodes,
        Duration install,
        int outputLines,
        int prefetch,
        int workers,
        int warmupNodes,
        int warmupRuns,
        FleetUsage fleet,
        Map<String, Integer> outcomes,
        double makespanSeconds,
        double fromFirstMessageSeconds,
        double lazarusRunSeconds,
        double nodesPerSecond,
        double overheadSeconds,
        long nodeAttemptP50Ms,
        long nodeAttemptP95Ms,
        long nodeAttemptMaxMs,
        List<WorkerResult> workerResults,
        double benchmarkCpuSeconds,
        double coordinatorCpuSeconds,
        double machineBusySeconds,
        double brokerCpuSeconds,
        int cores,
        long helpMs,
        long startToFirstPublishMs,
        long lastOutcomeToExitMs,
        SignatureCost signatures,
        String limit,
        long timeToStartP50Ms,
        long timeToStartP95Ms,
        Map<String, Double> coordinatorThreadCpuSeconds,
        Map<String, Long> workerEvents,
        boolean commandsFromAotCache) {

    /** The command's threads named one by one in the report; the rest are summed. */
    void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%n== lazarus benchmark: %d %s nodes, install %s s in %d lines, %d worker(s) at prefetch"
                        + " %d, %s limit, %s ==%n",
                nodes,
                fleet.kind(),
                install.toMillis() / 1000.0,
                outputLines,
                workers,
                prefetch,
                limit,
                warmupNodes == 0
                        ? "cold worker"
                        : warmupRuns == 1
                                ? "after a warm-up of " + warmupNodes + " nodes"
                                : "after " + warmupRuns + " warm-up runs of " + warmupNodes + " nodes");
        line(out, "outcomes", "%s", outcomes);
        line(
                out,
                "makespan",
                "%.2f s   (coordinator report: startedAt -> finishedAt, the run's start to its last outcome)",
                makespanSeconds);
        line(
                out,
                "from first message",
                "%.2f s   (its first install message at the broker -> the last outcome: the workers' part)",
                fromFirstMessageSeconds);
        line(out, "nodes per second", "%.1f", nodesPerSecond);
        line(
                out,
                "message signature",
                "sign %.1f us, verify %.1f us per message in batches of %d, one Ed25519 signature each (signed alone:"
                        + " %.1f and %.1f us); measured apart after the run",
                signatures.signMicros(),
                signatures.verifyMicros(),
                SignatureCost.BATCH,
                signatures.aloneSignMicros(),
                signatures.aloneVerifyMicros());
        line(out, "overhead", "%.2f s   (makespan - install length)", overheadSeconds);
        line(out, "lazarus run, wall", "%.2f s   (the CLI process, JVM start included)", lazarusRunSeconds);
        line(
                out,
                "lazarus --help",
                "%d ms   (median of 5)%s",
                helpMs,
                commandsFromAotCache ? "" : "; WITHOUT the build's AOT cache, slower than a user's (see the top)");
        line(
                out,
                "start and exit",
                "%d ms from starting lazarus run to its first message on the broker, %d ms from the last outcome"
                        + " to its exit",
                startToFirstPublishMs,
                lastOutcomeToExitMs);
        line(
                out,
                "node attempt",
                "p50 %d ms, p95 %d ms, max %d ms   (worker-measured: connect + install)",
                nodeAttemptP50Ms,
                nodeAttemptP95Ms,
                nodeAttemptMaxMs);
        line(
                out,
                "time to start",
                "p50 %d ms, p95 %d ms   (the run's start to the node's install start, as the fleet saw it)",
                timeToStartP50Ms,
                timeToStartP95Ms);
        for (WorkerResult w : workerResults) {
            line(out, "worker " + w.pid(), "idle: RSS %.1f MiB, heap %.1f MiB", w.idleRssMiB(), w.idleHeapMiB());
            line(
                    out,
                    "",
                    "peak: RSS %.1f MiB (VmHWM; %.1f MiB sampled during the run), heap %.1f MiB, in flight %d,"
                            + " OS threads %d",
                    w.peakRssMiB(),
                    w.peakSampledRssMiB(),
                    w.peakHeapMiB(),
                    w.peakInFlight(),
                    w.peakThreads());
            line(
                    out,
                    "",
                    "at peak in flight: RSS %.1f MiB, heap %.1f MiB",
                    w.rssAtPeakInFlightMiB(),
                    w.heapAtPeakInFlightMiB());
            line(
                    out,
                    "",
                    "per in-flight session: RSS %.1f KiB, heap %.1f KiB (garbage included);"
                            + " from the highest RSS: %.1f KiB",
                    w.rssPerSessionKiB(),
                    w.heapPerSessionKiB(),
                    w.rssPerSessionUpperBoundKiB());
            if (w.unansweredSamples() > 0) {
                line(out, "", "%d sample(s) without an actuator answer within 5 s", w.unansweredSamples());
            }
        }
        double available = lazarusRunSeconds * cores;
        double ours =
                workerResults.stream().mapToDouble(WorkerResult::cpuSeconds).sum()
                        + benchmarkCpuSeconds
                        + coordinatorCpuSeconds
                        + fleet.cpuSeconds();
        if (fleet.processes() == 0) {
            line(
                    out,
                    "CPU during the run",
                    "%s, benchmark JVM (SSH fleet) %.1f s, lazarus run %.1f s",
                    workerCpu(),
                    benchmarkCpuSeconds,
                    coordinatorCpuSeconds);
        } else {
            line(
                    out,
                    "CPU during the run",
                    "%s, benchmark JVM %.1f s, %d sshd (logins and install shells) %.1f s," + " lazarus run %.1f s",
                    workerCpu(),
                    benchmarkCpuSeconds,
                    fleet.processes(),
                    fleet.cpuSeconds(),
                    coordinatorCpuSeconds);
        }
        line(
                out,
                "",
                "machine busy %.1f s of %.1f s (%d cores x %.1f s); broker and everything else %.1f s",
                machineBusySeconds,
                available,
                cores,
                lazarusRunSeconds,
                Math.max(0, machineBusySeconds - ours));
        double fleetCpu = fleet.processes() == 0 ? benchmarkCpuSeconds : fleet.cpuSeconds();
        line(out, "", "SSH fleet share: %.0f%% of the machine", 100 * fleetCpu / available);
        if (!coordinatorThreadCpuSeconds.isEmpty()) {
            line(out, "lazarus run threads", "%s", Lines.busiestThreads(coordinatorThreadCpuSeconds));
        }
        long messages = workerEvents.getOrDefault(WorkerProbe.MESSAGES, 0L);
        long events = workerEvents.entrySet().stream()
                .filter(e -> !e.getKey().equals(WorkerProbe.MESSAGES))
                .mapToLong(Map.Entry::getValue)
                .sum();
        line(
                out,
                "events per node",
                "%.2f published by the workers (%s), each a registry write, in %.2f messages a node, each a broker"
                        + " delivery to every queue bound",
                (double) events / nodes,
                String.join(
                        ", ",
                        workerEvents.entrySet().stream()
                                .filter(e -> e.getValue() > 0 && !e.getKey().equals(WorkerProbe.MESSAGES))
                                .map(e -> String.format(
                                        Locale.ROOT, "%s %.2f", e.getKey(), (double) e.getValue() / nodes))
                                .toList()),
                (double) messages / nodes);
        line(
                out,
                "CPU per node",
                "lazarus run %.2f ms, RabbitMQ %.2f ms, %s, SSH fleet %.2f ms",
                perNode(coordinatorCpuSeconds),
                perNode(brokerCpuSeconds),
                String.join(
                        ", ",
                        workerResults.stream()
                                .map(w -> String.format(
                                        Locale.ROOT, "worker %d %.2f ms", w.pid(), perNode(w.cpuSeconds())))
                                .toList()),
                perNode(fleetCpu));
    }

    private double perNode(double cpuSeconds) {
        return cpuSeconds * 1000 / nodes;
    }

    private String workerCpu() {
        return String.join(
                ", ",
                workerResults.stream()
                        .map(w -> String.format(Locale.ROOT, "worker %d %.1f s", w.pid(), w.cpuSeconds()))
                        .toList());
    }

    /**
     * The fleet of a run.
     *
     * @param kind       {@code simulated} (in the benchmark's JVM) or {@code openssh}
     * @param processes  processes of its own (sshd listeners; 0 for the simulated fleet)
     * @param cpuSeconds CPU time of those processes and their finished sessions and installs during the run
     */
    record FleetUsage(String kind, String description, int processes, double cpuSeconds) {}
}
