package io.lazarus.worker.ssh;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives one stream of a remote command: keeps only its last bytes, counts all of them, and stamps the shared
 * activity clock the watchdog reads. JSch's session thread writes; the watchdog's thread reads.
 */
final class OutputTail extends OutputStream {

    private final byte[] ring;
    private final AtomicLong lastActivityNanos;
    private long total;

    OutputTail(int capacity, AtomicLong lastActivityNanos) {
        this.ring = new byte[capacity];
        this.lastActivityNanos = lastActivityNanos;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        lastActivityNanos.set(System.nanoTime());
        for (int i = 0; i < length; i++) {
            ring[(int) ((total + i) % ring.length)] = bytes[offset + i];
        }
        total += length;
    }

    synchronized long total() {
        return total;
    }

    /** The kept bytes as text; bytes split at the cut decode as U+FFFD rather than failing. */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        byte[] tail = new byte[kept];
        int start = (int) ((total - kept) % ring.length);
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(start + i) % ring.length];
        }
        return new String(tail, StandardCharsets.UTF_8);
    }
}
