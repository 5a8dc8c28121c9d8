package io.lazarus.worker.ssh;

import java.io.InputStream;
import java.time.Duration;

/**
 * A command's stdin, always at its end. Without a pseudo-terminal the channel's EOF closes the command's stdin. On a
 * pseudo-terminal the node cannot pass EOF on (a terminal has no half-close), so the terminal's own end-of-file key is
 * typed, ^D, as a person would: at once and then every {@link #REPEAT}, so every read of the terminal, however late,
 * ends at once. ^D is not echoed in canonical mode and reaches nothing that does not read.
 */
final class EndOfInput extends InputStream {

    static final Duration REPEAT = Duration.ofMillis(250);
    private static final int CONTROL_D = 0x04;

    private final long repeatMillis;
    private boolean first = true;

    private EndOfInput(Duration repeat) {
        this.repeatMillis = repeat.toMillis();
    }

    /** What the channel reads as the command's input. */
    static InputStream forChannel(boolean pty) {
        return pty ? new EndOfInput(REPEAT) : InputStream.nullInputStream();
    }

    @Override
    public int read() {
        if (!first) {
            try {
                Thread.sleep(repeatMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        first = false;
        return CONTROL_D;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int next = read();
        if (next < 0) {
            return -1;
        }
        buffer[offset] = (byte) next;
        return 1;
    }
}
