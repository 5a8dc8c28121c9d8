package io.lazarus.worker.ssh;

import io.lazarus.common.contract.OutputChunk;
import java.util.List;

/** Where an attempt's output chunks go, in order, from the attempt's own thread. */
public interface OutputSink {

    /** Keeps nothing. */
    OutputSink NONE = chunks -> true;

    /** Chunks of a running attempt; false if they could not be sent, and the attempt sends no more. */
    boolean send(List<OutputChunk> chunks);

    /** The attempt's last chunks (maybe none); its outcome follows. */
    default void end(List<OutputChunk> chunks) {
        if (!chunks.isEmpty()) {
            send(chunks);
        }
    }
}
