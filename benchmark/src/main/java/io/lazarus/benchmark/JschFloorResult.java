package io.lazarus.benchmark;

import static io.lazarus.benchmark.Lines.line;

import io.lazarus.benchmark.JschFloor.FloorSession;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The JSch floor's numbers, beside Lazarus's on the same nodes.
 *
 * @param channel              what each exec channel asked of the node: {@code LIKE_THE_WORKER} or {@code BARE}
 * @param maxSessions          sessions open at once at most: prefetch x workers
 * @param makespanSeconds      from the first session's start (connect) to the last session's disconnect
 * @param sessionP50Ms         one session: connect, exec, output to the end, exit status, disconnect
 * @param stdoutLines          lines the installs printed, all sessions together
 * @param benchmarkCpuSeconds  CPU time of the benchmark's JVM meanwhile: the JSch client, and the simulated fleet if
 *                             that is the fleet
 * @param fleetCpuSeconds      CPU time of the fleet's own processes meanwhile (sshd; 0 for the simulated fleet)
 * @param lazarusOverFloor     Lazarus makespan / floor makespan: the whole run, its registering and first publish
 *                             included, against a floor whose clock starts at its first connect
 * @param lazarusFromFirstMessageSeconds Lazarus from its first install message at the broker to the last outcome
 * @param workersOverFloor     that / floor makespan: the same clock as the floor's, give or take the first message's
 *                             way from the broker to a worker (counted against Lazarus); -1 without a first message
 * @param firstFailures        a few sessions that failed, with why
 */
record JschFloorResult(
        JschFloor.Channel channel,
        int nodes,
        int maxSessions,
        int succeeded,
        int failed,
        double makespanSeconds,
        double nodesPerSecond,
        long sessionP50Ms,
        long sessionP95Ms,
        long sessionMaxMs,
        long stdoutLines,
        double benchmarkCpuSeconds,
        double fleetCpuSeconds,
        String hostKeyCheck,
        double lazarusMakespanSeconds,
        double lazarusOverFloor,
        double lazarusFromFirstMessageSeconds,
        double workersOverFloor,
        List<String> firstFailures) {

    private static final int FAILURES_SHOWN = 10;

    static JschFloorResult of(
            JschFloor.Channel channel,
            JschFloor.HostKeys hostKeys,
            List<FloorSession> sessions,
            int maxSessions,
            double cpuSeconds,
            double fleetCpuSeconds,
            double lazarusMakespanSeconds,
            double lazarusFromFirstMessageSeconds) {
        long first = sessions.stream().mapToLong(FloorSession::startNanos).min().orElse(0);
        long last = sessions.stream().mapToLong(FloorSession::endNanos).max().orElse(0);
        double makespan = (last - first) / 1e9;
        long[] millis =
                sessions.stream().mapToLong(FloorSession::millis).sorted().toArray();
        int succeeded = (int) sessions.stream().filter(FloorSession::succeeded).count();
        return new JschFloorResult(
                channel,
                sessions.size(),
                maxSessions,
                succeeded,
                sessions.size() - succeeded,
                Numbers.round(makespan),
                Numbers.round(sessions.size() / makespan),
                Numbers.percentile(millis, 50),
                Numbers.percentile(millis, 95),
                Numbers.percentile(millis, 100),
                sessions.stream().mapToLong(FloorSession::stdoutLines).sum(),
                Numbers.round(cpuSeconds),
                Numbers.round(fleetCpuSeconds),
                "the fleet's keys, StrictHostKeyChecking=yes, " + hostKeys.description,
                lazarusMakespanSeconds,
                Numbers.round(lazarusMakespanSeconds / makespan),
                lazarusFromFirstMessageSeconds,
                lazarusFromFirstMessageSeconds < 0 ? -1 : Numbers.round(lazarusFromFirstMessageSeconds / makespan),
                sessions.stream()
                        .filter(s -> !s.succeeded())
                        .limit(FAILURES_SHOWN)
                        .map(s -> s.node() + ": " + s.failure())
                        .toList());
    }

    boolean allSucceeded() {
        return failed == 0;
    }

    void print(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%n== JSch floor: the same %d nodes, a bare JSch session each on a virtual thread, at most %d"
                        + " at once; %s ==%n",
                nodes,
                maxSessions,
                channel.description);
        line(out, "outcomes", "%d succeeded, %d failed   (exit status 0 after the output's end)", succeeded, failed);
        line(out, "makespan", "%.2f s   (first connect start to last disconnect)", makespanSeconds);
        line(out, "nodes per second", "%.1f", nodesPerSecond);
        line(
                out,
                "session",
                "p50 %d ms, p95 %d ms, max %d ms   (connect + exec + output + exit status + disconnect)",
                sessionP50Ms,
                sessionP95Ms,
                sessionMaxMs);
        line(out, "output", "%d lines read", stdoutLines);
        line(
                out,
                "CPU",
                fleetCpuSeconds > 0
                        ? "benchmark JVM (JSch client) %.1f s, sshd fleet %.1f s"
                        : "benchmark JVM (JSch client and simulated fleet) %.1f s",
                benchmarkCpuSeconds,
                fleetCpuSeconds);
        line(out, "host keys", "%s; public-key auth only, no retries", hostKeyCheck);
        line(
                out,
                "Lazarus / floor",
                "makespan %.2f s / %.2f s = %.2f",
                lazarusMakespanSeconds,
                makespanSeconds,
                lazarusOverFloor);
        line(
                out,
                "",
                "from its first message %.2f s / %.2f s = %.2f   (the floor's clock: the workers against bare JSch)",
                lazarusFromFirstMessageSeconds,
                makespanSeconds,
                workersOverFloor);
        firstFailures.forEach(f -> line(out, "failed", "%s", f));
    }
}
