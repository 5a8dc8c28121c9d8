package io.lazarus.worker.ssh;

import java.time.Duration;

/** Told of every successful SSH handshake's latency, connect to authenticated. */
public interface HandshakeObserver {

    void handshake(Duration latency);
}
