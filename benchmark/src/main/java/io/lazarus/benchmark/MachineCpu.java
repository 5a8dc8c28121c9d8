package io.lazarus.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The machine's CPU counters (the {@code cpu} line of {@code /proc/stat}): what else ran beside the benchmark. */
record MachineCpu(long busyTicks, long totalTicks) {

    static MachineCpu read() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        long[] ticks = Arrays.stream(line.substring("cpu".length()).trim().split("\\s+"))
                .mapToLong(Long::parseLong)
                .toArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
        long total = 0;
        for (int i = 0; i < Math.min(8, ticks.length); i++) {
            total += ticks[i];
        }
        return new MachineCpu(total - ticks[3] - ticks[4], total);
    }

    /** CPU seconds the machine was busy since {@code before}, over {@code wallSeconds} on {@code cores} cores. */
    double busySecondsSince(MachineCpu before, double wallSeconds, int cores) {
        double busyShare = (double) (busyTicks - before.busyTicks) / Math.max(1, totalTicks - before.totalTicks);
        return busyShare * wallSeconds * cores;
    }
}
