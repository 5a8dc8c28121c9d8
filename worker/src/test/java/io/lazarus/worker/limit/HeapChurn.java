package io.lazarus.worker.limit;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAccumulator;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * A worker's heap in small, for {@link HealthProbeTest} to run in a JVM of its own: a steady live set, and objects that
 * live a little while, long enough to be promoted, and die in the old generation, as sessions do. Prints the highest
 * heap reading of the {@link HealthProbe} and of every collection's whole heap, after a second's warm-up.
 *
 * <p>Arguments: the live set in MiB, the seconds to run.
 */
final class HeapChurn {

    private static final int OBJECT = 16 * 1024;
    /** Objects alive at once in the churn: 8 MiB. */
    private static final int WINDOW = 512;

    public static void main(String[] args) throws Exception {
        int liveMiB = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        long maxHeap = Runtime.getRuntime().maxMemory();
        HealthProbe probe = new HealthProbe();
        DoubleAccumulator wholeHeap = new DoubleAccumulator(Math::max, 0);
        long warm = System.nanoTime() + 1_000_000_000L;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector)
                    .addNotificationListener(
                            (notification, handback) -> {
                                var info = GarbageCollectionNotificationInfo.from(
                                        (CompositeData) notification.getUserData());
                                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                        .mapToLong(MemoryUsage::getUsed)
                                        .sum();
                                if (System.nanoTime() > warm) {
                                    wholeHeap.accumulate((double) used / maxHeap);
                                }
                            },
                            null,
                            null);
        }
        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < liveMiB * 1024 * 1024 / OBJECT; i++) {
            live.add(new byte[OBJECT]);
        }
        ArrayDeque<byte[]> churn = new ArrayDeque<>();
        double probed = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (long n = 0; System.nanoTime() < end; n++) {
            churn.add(new byte[OBJECT]);
            if (churn.size() > WINDOW) {
                churn.poll();
            }
            if (n % 64 == 0) {
                Thread.sleep(1);
                if (System.nanoTime() > warm) {
                    probed = Math.max(probed, probe.read().heap());
                }
            }
        }
        System.out.printf(Locale.ROOT, "live %d probe %.3f whole-heap %.3f%n", live.size(), probed, wholeHeap.get());
        probe.close();
    }
}
