package io.lazarus.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * After the Lazarus run, the same install on the same nodes by a plainer client, for comparison: the JSch floor, and
 * parallel-ssh on an OpenSSH fleet. Each is measured on its own, the workers idle meanwhile.
 */
final class SideBySide {

    private final MeasuredFleet fleet;
    private final List<FleetNode> measured;
    private final Path identity;
    private final Path knownHosts;
    private final String script;
    private final Duration timeout;
    private final PrintStream out;

    /**
     * @param knownHosts every node's host key, as the clients check it
     * @param script     the script's body, which the workers run as one command
     * @param timeout    for one whole run of all the nodes
     */
    SideBySide(
            MeasuredFleet fleet,
            List<FleetNode> measured,
            Path identity,
            Path knownHosts,
            String script,
            Duration timeout,
            PrintStream out) {
        this.fleet = fleet;
        this.measured = measured;
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.script = script;
        this.timeout = timeout;
        this.out = out;
    }

    /**
     * The JSch floor on the measured nodes with this exec channel, after an unmeasured round on {@code warmup} if there
     * are such nodes.
     */
    JschFloorResult floor(
            JschFloor.Channel channel,
            JschFloor.HostKeys hostKeys,
            int maxSessions,
            List<FleetNode> warmup,
            BenchmarkResult lazarus)
            throws BenchmarkFailure, InterruptedException {
        JschFloor floor =
                new JschFloor(identity, knownHosts, fleet.user(), script, maxSessions, timeout, channel, hostKeys);
        if (!warmup.isEmpty()) {
            long start = System.nanoTime();
            long failed = floor.run(warmup).stream().filter(s -> !s.succeeded()).count();
            out.printf(
                    Locale.ROOT,
                    "JSch floor warm-up: %d nodes in %.1f s (%d failed), not measured%n",
                    warmup.size(),
                    (System.nanoTime() - start) / 1e9,
                    failed);
        }
        out.printf("JSch floor, %s; %s: %d nodes ...%n", channel.description, hostKeys.description, measured.size());
        long self = ProcessHandle.current().pid();
        Duration cpuBefore = ProcStatus.cpu(self);
        Duration fleetBefore = fleet.processCpu();
        List<JschFloor.FloorSession> sessions = floor.run(measured);
        double cpu = ProcStatus.cpu(self).minus(cpuBefore).toMillis() / 1000.0;
        double fleetCpu = fleet.processCpu().minus(fleetBefore).toMillis() / 1000.0;
        return JschFloorResult.of(
                channel,
                hostKeys,
                sessions,
                maxSessions,
                cpu,
                fleetCpu,
                lazarus.makespanSeconds(),
                lazarus.fromFirstMessageSeconds());
    }

    /** parallel-ssh on the measured nodes of an OpenSSH fleet. */
    PsshResult pssh(Path binary, Path directory, double lazarusRunSeconds, double lazarusMakespanSeconds)
            throws IOException, InterruptedException, BenchmarkFailure {
        out.printf("parallel-ssh: %d nodes ...%n", measured.size());
        Duration fleetBefore = fleet.processCpu();
        ParallelSsh.Outcome outcome = new ParallelSsh(binary, identity, knownHosts, fleet.user(), directory)
                .run(measured, script.strip(), timeout);
        double fleetCpu = fleet.processCpu().minus(fleetBefore).toMillis() / 1000.0;
        return PsshResult.of(outcome, measured.size(), fleetCpu, lazarusRunSeconds, lazarusMakespanSeconds);
    }
}
