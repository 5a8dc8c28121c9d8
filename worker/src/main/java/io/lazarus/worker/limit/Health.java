package io.lazarus.worker.limit;

/**
 * The worker's resources at one moment, each a share from 0 to 1; -1 where the platform does not tell.
 *
 * @param heap heap held after the last collection (the old generation as its own last collection left it), of the
 *             maximum heap
 * @param cpu  this process's recent CPU load, as a share of all the machine's cores
 * @param fds  open file descriptors, of the process's maximum
 * @param maxHeapBytes the maximum heap; -1 unknown
 * @param collections  how many collections the heap reading has seen: a reading is only news after another one; -1
 *                     unknown, every reading is news
 */
public record Health(double heap, double cpu, double fds, long maxHeapBytes, long collections) {

    public static final Health UNKNOWN = new Health(-1, -1, -1, -1);

    public Health(double heap, double cpu, double fds) {
        this(heap, cpu, fds, -1);
    }

    public Health(double heap, double cpu, double fds, long maxHeapBytes) {
        this(heap, cpu, fds, maxHeapBytes, -1);
    }
}
