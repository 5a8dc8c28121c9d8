package io.lazarus.worker.ssh;

import java.io.OutputStream;

/** One stream of one command run: bytes go to the delivery's tail, and stamp the run's {@link Activity}. */
final class ChannelOutput extends OutputStream {

    private final OutputTail tail;
    private final Activity activity;

    ChannelOutput(OutputTail tail, Activity activity) {
        this.tail = tail;
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
    }

    @Override
    public void close() {
        activity.streamClosed();
    }
}
