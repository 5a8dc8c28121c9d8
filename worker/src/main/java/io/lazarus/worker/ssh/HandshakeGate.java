package io.lazarus.worker.ssh;

import io.lazarus.common.contract.Outcome;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most so many SSH handshakes (TCP connect, key exchange, login) at once in this worker; the others wait their
 * turn, in order of arrival, before they open a socket. The handshake is the CPU-heavy part of an attempt: hundreds
 * at once share the cores so evenly that they all finish late and together, each holding its buffers meanwhile, which
 * the collector then finds in the old generation. A few at a time each finish in milliseconds, and what they allocated
 * dies young.
 */
final class HandshakeGate {

    private final int max;
    private final Semaphore slots;

    HandshakeGate(int max) {
        this.max = max;
        this.slots = new Semaphore(max, true);
    }

    /** Waits for a slot until the deadline; the caller then owes a {@link #leave()}. */
    void enter(Deadline deadline) throws ConnectFailure {
        try {
            if (!slots.tryAcquire(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ConnectFailure(
                        Outcome.TIMED_OUT,
                        "the node's deadline passed while its handshake waited for one of the worker's " + max
                                + " (lazarus.ssh.max-handshakes)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectFailure(Outcome.CANCELLED, "worker shutting down");
        }
    }

    void leave() {
        slots.release();
    }

    int inProgress() {
        return max - slots.availablePermits();
    }

    int waiting() {
        return slots.getQueueLength();
    }
}
