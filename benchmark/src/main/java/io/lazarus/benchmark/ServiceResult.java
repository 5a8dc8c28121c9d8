package io.lazarus.benchmark;

import static io.lazarus.benchmark.Lines.line;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's share of a {@code --service} run: the process that coordinated it, and what the run left in its
 * registry.
 *
 * @param registry            {@code postgresql} or {@code h2}
 * @param cpuSeconds          the service's CPU time from just before the run was handed over until it went quiet after
 *                            the last outcome
 * @param peakRssMiB          the service's highest RSS since it started (VmHWM)
 * @param idleRssMiB          its RSS just before the run
 * @param postgresCpuSeconds  the whole PostgreSQL server's CPU time over the same span (0 for H2): shared with anyone
 *                            else using that server
 * @param registryBytesBefore the registry's tables, indexes and TOAST included, before the run (PostgreSQL only)
 * @param tableBytesGrowth    per table, bytes the run added, largest first
 * @param threadCpuSeconds    the same CPU time by thread name (threads that ended during the run are missing)
 */
record ServiceResult(
        String registry,
        int nodes,
        double cpuSeconds,
        double cpuPerNodeMs,
        double peakRssMiB,
        double idleRssMiB,
        double postgresCpuSeconds,
        double postgresCpuPerNodeMs,
        long registryBytesBefore,
        long registryBytesAfter,
        double registryBytesPerNode,
        Map<String, Long> tableBytesGrowth,
        Map<String, Double> threadCpuSeconds) {

    static ServiceResult of(
            ServiceCoordinator service,
            int nodes,
            double cpuSeconds,
            ProcStatus idle,
            ProcStatus after,
            double postgresCpuSeconds,
            Map<String, Long> tablesBefore,
            Map<String, Long> tablesAfter,
            Map<String, Duration> threadCpu) {
        long before = tablesBefore.values().stream().mapToLong(Long::longValue).sum();
        long total = tablesAfter.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> growth = new LinkedHashMap<>();
        tablesAfter.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - tablesBefore.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> growth.put(e.getKey(), e.getValue()));
        return new ServiceResult(
                service.postgres() ? "postgresql" : "h2",
                nodes,
                Numbers.round(cpuSeconds),
                Numbers.round(cpuSeconds * 1000 / nodes),
                Numbers.round(after.hwmKb() / 1024.0),
                Numbers.round(idle.rssKb() / 1024.0),
                Numbers.round(postgresCpuSeconds),
                Numbers.round(postgresCpuSeconds * 1000 / nodes),
                before,
                total,
                Numbers.round((double) (total - before) / nodes),
                growth,
                Numbers.seconds(threadCpu));
    }

    void print(PrintStream out) {
        line(
                out,
                "service",
                "CPU %.1f s, %.2f ms per node; RSS %.1f MiB before the run, peak %.1f MiB (VmHWM)",
                cpuSeconds,
                cpuPerNodeMs,
                idleRssMiB,
                peakRssMiB);
        if (!threadCpuSeconds.isEmpty()) {
            line(out, "service threads", "%s", Lines.busiestThreads(threadCpuSeconds));
        }
        if (registry.equals("postgresql")) {
            line(
                    out,
                    "registry",
                    "PostgreSQL server CPU %.1f s, %.2f ms per node (the whole server); tables %.1f MiB -> %.1f MiB, %.0f bytes per node; largest growth %s",
                    postgresCpuSeconds,
                    postgresCpuPerNodeMs,
                    registryBytesBefore / 1048576.0,
                    registryBytesAfter / 1048576.0,
                    registryBytesPerNode,
                    tableBytesGrowth.entrySet().stream()
                            .limit(5)
                            .map(e -> e.getKey() + " " + e.getValue() / 1024 + " KiB")
                            .toList());
        }
    }
}
