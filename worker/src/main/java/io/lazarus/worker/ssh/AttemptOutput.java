package io.lazarus.worker.ssh;

import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.worker.secrets.Masker;
import io.lazarus.worker.secrets.MaskingProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole output of one attempt on its way to the registry. JSch's thread adds what arrives; the attempt's own
 * thread cuts it into masked chunks and sends them, at every {@value #CHUNK_BYTES} bytes of a stream and at the flush
 * interval its {@link OutputPace} sets, and takes the rest at the end. A chunk never ends inside a secret value (the
 * end of the text is held back until the next one can tell), nor, when it can help it, inside a line, so that the
 * masking patterns see whole lines.
 * Beyond the cap, bytes are counted and dropped, and each stream that lost some ends with a line saying so.
 */
final class AttemptOutput {

    static final int CHUNK_BYTES = 64 * 1024;
    /** A chunk is cut after a line end this close to where it could be cut, rather than inside the line. */
    private static final int LINE_REACH = 4096;

    private final Masker masker;
    private final OutputSink sink;
    private final long capBytes;
    private final OutputPace pace;
    private final Pending stdout = new Pending(OutputStreamName.STDOUT);
    private final Pending stderr = new Pending(OutputStreamName.STDERR);
    private long accepted;
    private long seq;
    private long lastFlushNanos;
    private boolean watched;
    private boolean lost;

    AttemptOutput(Masker masker, OutputSink sink, OutputProperties properties, OutputPace pace) {
        this.masker = masker;
        this.sink = sink;
        this.capBytes = properties.cap().toBytes();
        this.pace = pace;
    }

    /** An output paced as if its attempt ran alone on the worker. */
    AttemptOutput(Masker masker, OutputSink sink, OutputProperties properties) {
        this(masker, sink, properties, new OutputPace(properties));
    }

    /** Output nobody keeps: of the worker's own commands on the node, such as an upload's digest check. */
    static AttemptOutput discarded() {
        return new AttemptOutput(
                Masker.of(new MaskingProperties(List.of())), OutputSink.NONE, OutputProperties.defaults());
    }

    /** Returns whether a full chunk waits to be sent. */
    synchronized boolean write(OutputStreamName stream, byte[] bytes, int offset, int length) {
        Pending pending = pending(stream);
        int kept = (int) Math.max(0, Math.min(length, capBytes - accepted));
        pending.append(bytes, offset, kept);
        pending.dropped += length - kept;
        accepted += kept;
        return pending.count >= CHUNK_BYTES;
    }

    /**
     * Sends full chunks, and at the flush interval whatever can be sent. The interval counts from the first call, the
     * script's first watch, not from the attempt's start: a session can take seconds on a busy worker, and a first
     * flush due at once sent a short script's first line in a message of its own instead of with its outcome (a
     * broker message and a registry write for nearly every node of a fleet).
     */
    void flushIfDue() {
        List<OutputChunk> chunks;
        synchronized (this) {
            long now = System.nanoTime();
            if (!watched) {
                watched = true;
                lastFlushNanos = now;
            }
            boolean timely = now - lastFlushNanos >= pace.intervalNanos();
            if (lost || (!timely && stdout.count < CHUNK_BYTES && stderr.count < CHUNK_BYTES)) {
                return;
            }
            if (timely) {
                lastFlushNanos = now;
            }
            chunks = cut(timely, false);
        }
        send(chunks);
    }

    /** The rest, the cap's marker lines included: the attempt has ended. */
    synchronized List<OutputChunk> finish() {
        if (lost) {
            return List.of();
        }
        List<OutputChunk> chunks = new ArrayList<>(cut(true, true));
        for (Pending pending : List.of(stdout, stderr)) {
            if (pending.dropped > 0) {
                String marker = (pending.endsLine ? "" : "\n") + "[lazarus: output cap of " + capBytes
                        + " bytes per attempt reached; " + pending.dropped + " more bytes of "
                        + pending.stream.name().toLowerCase(java.util.Locale.ROOT) + " dropped]\n";
                chunks.add(pending.chunk(marker));
            }
        }
        return chunks;
    }

    /** Bytes the registry does not get: beyond the cap, or not sent because sending failed. */
    synchronized long dropped() {
        return stdout.dropped + stderr.dropped + (lost ? stdout.count + stderr.count : 0);
    }

    private void send(List<OutputChunk> chunks) {
        if (!chunks.isEmpty() && !sink.send(chunks)) {
            synchronized (this) {
                lost = true;
                chunks.forEach(unsent -> pending(unsent.stream()).dropped += unsent.bytes());
            }
        }
    }

    private List<OutputChunk> cut(boolean any, boolean end) {
        List<OutputChunk> chunks = new ArrayList<>();
        for (Pending pending : List.of(stdout, stderr)) {
            for (String text = pending.take(any, end); text != null; text = pending.take(any, end)) {
                chunks.add(pending.chunk(text));
            }
        }
        return chunks;
    }

    private Pending pending(OutputStreamName stream) {
        return stream == OutputStreamName.STDOUT ? stdout : stderr;
    }

    /** One stream's bytes not sent yet. */
    private final class Pending {

        private final OutputStreamName stream;
        private byte[] buffer = new byte[1024];
        private int count;
        private long sentBytes;
        private long dropped;
        private boolean endsLine = true;

        Pending(OutputStreamName stream) {
            this.stream = stream;
        }

        void append(byte[] bytes, int offset, int length) {
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(count + length, buffer.length * 2));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        OutputChunk chunk(String text) {
            OutputChunk chunk = new OutputChunk(stream, seq++, sentBytes, text);
            sentBytes += chunk.bytes();
            endsLine = text.endsWith("\n");
            return chunk;
        }

        /**
         * The next piece, masked, or null when none may be sent yet: only a full chunk unless {@code any}; everything
         * when {@code end}.
         */
        String take(boolean any, boolean end) {
            if (count == 0 || (!any && count < CHUNK_BYTES)) {
                return null;
            }
            int limit = Math.min(count, CHUNK_BYTES);
            boolean all = end && limit == count;
            int boundary = all ? limit : characterBoundary(buffer, limit);
            String text = new String(buffer, 0, boundary, StandardCharsets.UTF_8);
            int cut = all ? text.length() : cutPoint(text, count >= CHUNK_BYTES);
            if (cut == 0) {
                return null;
            }
            byte[] rest = text.substring(cut).getBytes(StandardCharsets.UTF_8);
            byte[] next = new byte[Math.max(1024, rest.length + count - boundary)];
            System.arraycopy(rest, 0, next, 0, rest.length);
            System.arraycopy(buffer, boundary, next, rest.length, count - boundary);
            count = rest.length + count - boundary;
            buffer = next;
            return masker.mask(text.substring(0, cut));
        }

        /** Where text may end a chunk with more to come: not inside a secret value, after a line if one ends near. */
        private int cutPoint(String text, boolean full) {
            int safe = masker.safeCut(text, Math.max(0, text.length() - masker.holdBack()));
            int line = text.lastIndexOf('\n', safe - 1) + 1;
            int cut = line > 0 && safe - line < LINE_REACH ? masker.safeCut(text, line) : safe;
            if (cut > 0 && cut < text.length() && Character.isLowSurrogate(text.charAt(cut))) {
                cut--; // never half a character
            }
            // a value longer than a chunk cannot be held back whole
            return cut == 0 && full ? text.length() : cut;
        }
    }

    /** {@code limit}, or less so that no UTF-8 character is split. */
    static int characterBoundary(byte[] bytes, int limit) {
        int lead = limit - 1;
        while (lead > 0 && limit - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead < 0) {
            return limit;
        }
        int b = bytes[lead] & 0xFF;
        int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return lead + length <= limit ? limit : lead;
    }
}
