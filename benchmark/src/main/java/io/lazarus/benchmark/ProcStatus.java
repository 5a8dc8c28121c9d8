package io.lazarus.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A process's memory and threads as the kernel counts them ({@code /proc/<pid>/status}).
 *
 * @param rssKb   resident set size now ({@code VmRSS})
 * @param hwmKb   the highest resident set size since the process started ({@code VmHWM})
 * @param threads OS threads (carriers and platform threads; virtual threads are not counted)
 */
record ProcStatus(long rssKb, long hwmKb, int threads) {

    /** What numbers a pool's threads: a run of digits, dashes and hashes at the end of the name. */
    private static final Pattern POOL_NUMBER = Pattern.compile("[-#0-9]+$");

    static ProcStatus of(long pid) throws IOException {
        long rss = -1;
        long hwm = -1;
        int threads = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = number(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = number(line);
            } else if (line.startsWith("Threads:")) {
                threads = (int) number(line);
            }
        }
        if (rss < 0 || hwm < 0) {
            throw new IOException("/proc/" + pid + "/status has no VmRSS/VmHWM: is the process a zombie?");
        }
        return new ProcStatus(rss, hwm, threads);
    }

    /** CPU time (user plus system) the process has used so far; zero when it is gone. */
    static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /**
     * CPU time of each of a process's live threads, by thread id, with its name: the kernel's (its first 15
     * characters), the numbers that tell a pool's threads apart dropped ({@code GC Thread#1} and {@code GC Thread#0} are
     * {@code GC Thread}). Empty when the process is gone.
     */
    static Map<Long, ThreadCpu> cpuOfThreads(long pid) {
        Map<Long, ThreadCpu> byId = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException ended) {
                    continue;
                }
                long[] ticks = statTicks(task.resolve("stat"));
                byId.put(
                        Long.parseLong(task.getFileName().toString()),
                        new ThreadCpu(POOL_NUMBER.matcher(name).replaceAll(""), ticks(ticks[0] + ticks[1])));
            }
        } catch (IOException | UncheckedIOException gone) {
            return Map.of();
        }
        return byId;
    }

    /** A thread's name (its pool number dropped) and the CPU time it had used when sampled. */
    record ThreadCpu(String name, Duration cpu) {}

    /** CPU time of every process of this machine running {@code command} (RabbitMQ: beam.smp); zero when none runs. */
    static Duration cpuOfAll(String command) {
        return ProcessHandle.allProcesses()
                .filter(p ->
                        p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * CPU time of this machine's PostgreSQL server: its backends, and through the postmaster the backends that have
     * exited (one per connection). Everyone's queries count, not only the registry's.
     */
    static Duration postgresCpu() {
        return ProcessHandle.allProcesses()
                .filter(ProcStatus::isPostgres)
                .map(p -> p.parent().filter(ProcStatus::isPostgres).isPresent()
                        ? p.info().totalCpuDuration().orElse(Duration.ZERO)
                        : cpuWithReapedChildren(p.pid()))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
    }

    /**
     * CPU time of a process and of the children it has waited for, theirs included where they waited in turn: what a
     * server that forks per connection (sshd) has used, its finished sessions with it. Zero when the process is gone.
     */
    static Duration cpuWithReapedChildren(long pid) {
        long[] ticks = statTicks(pid);
        return ticks(ticks[0] + ticks[1] + ticks[2] + ticks[3]);
    }

    /** CPU time of the children a process has waited for: for this JVM, the commands it ran and saw exit. */
    static Duration reapedChildrenCpu(long pid) {
        long[] ticks = statTicks(pid);
        return ticks(ticks[2] + ticks[3]);
    }

    private static long[] statTicks(long pid) {
        return statTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * utime, stime, cutime, cstime from a process's or a thread's {@code stat}; zeros when the process or thread is
     * gone.
     */
    private static long[] statTicks(Path file) {
        String stat;
        try {
            stat = Files.readString(file);
        } catch (IOException gone) {
            return new long[4];
        }
        // after the command name in parentheses (which may hold spaces): field 3 (state) on; utime is field 14
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long[] ticks = new long[4];
        for (int i = 0; i < 4; i++) {
            ticks[i] = Long.parseLong(fields[11 + i]);
        }
        return ticks;
    }

    /** The kernel reports these times in USER_HZ, 100 per second on every Linux the benchmark runs on. */
    private static Duration ticks(long ticks) {
        return Duration.ofMillis(ticks * 10);
    }

    private static long number(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }
}
