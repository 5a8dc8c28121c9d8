package io.lazarus.worker.limit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JVM's heap pools, young (eden, survivors, ZGC's young generation) and old (the rest: the tenured generation,
 * G1's old regions, or the whole heap of a collector without generations).
 */
final class HeapPools {

    private final List<MemoryPoolMXBean> old;
    private final Set<String> youngNames;
    private final Set<String> oldNames;

    HeapPools() {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        this.old = heap.stream().filter(pool -> !young(pool.getName())).toList();
        this.youngNames =
                names(heap.stream().filter(pool -> young(pool.getName())).toList());
        this.oldNames = names(old);
    }

    boolean isYoung(String pool) {
        return youngNames.contains(pool);
    }

    boolean isOld(String pool) {
        return oldNames.contains(pool);
    }

    /** What the old generation holds now, garbage included. */
    long oldInUse() {
        return old.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    /** What the old generation kept at its last collection; 0 before it has had one. */
    long oldKept() {
        return old.stream()
                .map(MemoryPoolMXBean::getCollectionUsage)
                .filter(usage -> usage != null)
                .mapToLong(MemoryUsage::getUsed)
                .sum();
    }

    private static boolean young(String name) {
        return name.contains("Eden") || name.contains("Survivor") || name.contains("Young");
    }

    private static Set<String> names(List<MemoryPoolMXBean> pools) {
        return pools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toUnmodifiableSet());
    }
}
