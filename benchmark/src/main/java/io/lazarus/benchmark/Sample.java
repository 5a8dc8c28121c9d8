package io.lazarus.benchmark;

/**
 * One worker at one instant.
 *
 * @param heapBytes heap in use, garbage not yet collected included; NaN when the worker did not answer in time
 * @param inFlight  install messages the worker holds ({@code lazarus.worker.nodes.in.flight}); -1 when it did not answer
 */
record Sample(double seconds, ProcStatus memory, double heapBytes, int inFlight) {

    boolean answered() {
        return inFlight >= 0 && !Double.isNaN(heapBytes);
    }
}
