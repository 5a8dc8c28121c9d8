package io.lazarus.worker.limit;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Reads {@link Health} from the JVM: the heap the worker holds after the last collection (below), the worker's own CPU
 * load and its file descriptors. The machine's CPU load is not read: on a shared host other processes' load is not the
 * worker's to back off for, and what it does to the worker shows in the handshake latency.
 *
 * <p>The heap is what the young generation kept at the last collection and what the old generation kept at its own
 * last one ({@link #heapKept}). A young collection's reading counts the old generation whole, garbage included: a
 * session outlives a few young collections, is promoted and dies in the old generation, which is only collected when
 * it fills. With 1000 sessions open in a 144 MiB worker (serial collector) that reading swept from the live 74% to
 * 90% and more between old collections, and the limit fell from 1000 to 192 on garbage; G1's is the same between its
 * cycles. A reading changes, and is news, when the old generation has been collected again.
 */
final class HealthProbe implements NotificationListener, AutoCloseable {

    private final HeapPools pools = new HeapPools();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final long maxHeap = Runtime.getRuntime().maxMemory();
    private volatile double heapAfterGc = -1;
    private volatile long collections;
    private long oldKeptBefore = -1;

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
        long young = 0;
        long old = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (pools.isYoung(pool.getKey())) {
                young += pool.getValue().getUsed();
            } else if (pools.isOld(pool.getKey())) {
                old += pool.getValue().getUsed();
            }
        }
        long oldKept = pools.oldKept();
        heapAfterGc = (double) heapKept(young, old, oldKept) / maxHeap;
        if (oldKept == 0 || oldKept != oldKeptBefore) {
            collections++;
        }
        oldKeptBefore = oldKept;
    }

    /**
     * The heap held after a collection.
     *
     * @param young   the young generation after this collection
     * @param old     the old generation after this collection: what lives there and what died there since it was
     *                collected
     * @param oldKept the old generation after its own last collection; 0 before it has had one, and then {@code old}
     *                is all there is to go on
     */
    static long heapKept(long young, long old, long oldKept) {
        return young + (oldKept > 0 ? Math.min(old, oldKept) : old);
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
