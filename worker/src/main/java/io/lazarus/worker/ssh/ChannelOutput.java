package io.lazarus.worker.ssh;

import io.lazarus.common.contract.OutputStreamName;
import java.io.OutputStream;

/**
 * One stream of one command run: bytes go to the delivery's tail and to its whole output, and stamp the run's
 * {@link Activity}; a full chunk wakes the watchdog's thread, which sends it.
 */
final class ChannelOutput extends OutputStream {

    private final OutputTail tail;
    private final AttemptOutput output;
    private final OutputStreamName stream;
    private final Activity activity;

    ChannelOutput(OutputTail tail, AttemptOutput output, OutputStreamName stream, Activity activity) {
        this.tail = tail;
        this.output = output;
        this.stream = stream;
        this.activity = activity;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        activity.output();
        tail.write(bytes, offset, length);
        if (output.write(stream, bytes, offset, length)) {
            activity.wake();
        }
    }

    @Override
    public void close() {
        activity.streamClosed();
    }
}
