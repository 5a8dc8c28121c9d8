package io.lazarus.worker.limit;

import java.util.Locale;

/** Why the limit last moved. */
public enum Reason {
    /** Not moved yet. */
    INITIAL,
    /** Up: nodes waited and the handshakes stayed fast. */
    HEADROOM,
    /** Down: handshakes grew slower than the baseline allows. */
    LATENCY,
    /** Down: the nodes' first bytes (their SSH banners) came later than the baseline allows. */
    FIRST_BYTE,
    /** Down: the heap after collection passed its threshold. */
    HEAP,
    /** Down: open file descriptors passed their threshold. */
    FDS;

    /** As metrics and the status endpoint show it: {@code latency}, {@code first-byte}, {@code heap}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
