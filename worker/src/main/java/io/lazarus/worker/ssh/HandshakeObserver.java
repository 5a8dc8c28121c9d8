package io.lazarus.worker.ssh;

import java.time.Duration;

/** Told of every successful SSH handshake's latencies. */
public interface HandshakeObserver {

    /**
     * @param latency   connect to authenticated
     * @param firstByte connect to the node's first byte, its SSH banner; null if not measured
     */
    void handshake(Duration latency, Duration firstByte);
}
