package io.lazarus.worker.ssh;

import java.nio.charset.StandardCharsets;

/** The last bytes of one stream of a delivery, and a count of all of them. Written by JSch, read by the watchdog. */
final class OutputTail {

    private final byte[] ring;
    private long total;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        int skip = Math.max(0, length - ring.length);
        for (int i = skip; i < length; i++) {
            ring[(int) ((total + i) % ring.length)] = bytes[offset + i];
        }
        total += length;
    }

    /** Whether bytes were written before the kept ones. */
    synchronized boolean cut() {
        return total > ring.length;
    }

    synchronized long total() {
        return total;
    }

    /**
     * The kept bytes as text, with a terminal's CR LF read as LF; bytes split at the cut decode as U+FFFD rather than
     * failing.
     */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] tail = new byte[kept];
        int start = (int) ((total - kept) % ring.length);
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(start + i) % ring.length];
        }
        return new String(tail, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }
}
