package io.lazarus.worker.limit;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Reads {@link Health} from the JVM: the heap in use right after the last collection (from the collectors'
 * notifications: what survived, young and old, is what the worker really holds), the worker's own CPU load and its
 * file descriptors. The machine's CPU load is not read: on a shared host other processes' load is not the worker's to
 * back off for, and what it does to the worker shows in the handshake latency.
 */
final class HealthProbe implements NotificationListener, AutoCloseable {

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private volatile double heapAfterGc = -1;
    private volatile long collections;

    HealthProbe() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
            }
        }
    }

    Health read() {
        return new Health(
                heapAfterGc, cpu(), fds(), maxHeap > 0 && maxHeap != Long.MAX_VALUE ? maxHeap : -1, collections);
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())
                || maxHeap <= 0
                || maxHeap == Long.MAX_VALUE) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                MemoryUsage usage = pool.getValue();
                used += usage.getUsed();
            }
        }
        heapAfterGc = (double) used / maxHeap;
        collections++;
    }

    private double cpu() {
        return os instanceof OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
    }

    private double fds() {
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return (double) unix.getOpenFileDescriptorCount() / unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // not registered there
                }
            }
        }
    }
}
