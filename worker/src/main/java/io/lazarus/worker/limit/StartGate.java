package io.lazarus.worker.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where a delivery waits, unstarted and unacknowledged, until fewer nodes run than the limit; first come, first
 * started. A waiting delivery gives up its place when its run is cancelled, its deadline passes or the worker stops;
 * those are checked every {@code recheck}, and the deadline to the moment.
 */
public final class StartGate {

    /** How a wait ended. */
    public enum Admission {
        /** It may start; {@link #release()} when it is settled. */
        STARTED,
        /** Its run was cancelled while it waited. */
        CANCELLED,
        /** Its deadline passed while it waited. */
        EXPIRED,
        /** The worker is stopping, or the thread was interrupted: give it back to the queue. */
        STOPPING
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final Supplier<Instant> now;
    private final Duration recheck;
    private int limit;
    private int running;
    private boolean stopping;

    public StartGate(int limit, Supplier<Instant> now, Duration recheck) {
        this.limit = limit;
        this.now = now;
        this.recheck = recheck;
    }

    /** Waits for a place under the limit, and takes it when it comes. */
    public Admission enter(Instant deadline, BooleanSupplier cancelled) {
        Waiter me;
        lock.lock();
        try {
            if (stopping) {
                return Admission.STOPPING;
            }
            if (waiters.isEmpty() && running < limit) {
                running++;
                return Admission.STARTED;
            }
            me = new Waiter(lock.newCondition());
            waiters.addLast(me);
        } finally {
            lock.unlock();
        }
        // the checks run without the lock: a cancelled-run lookup must not hold up everyone else's release
        while (true) {
            Admission outcome = cancelled.getAsBoolean()
                    ? Admission.CANCELLED
                    : !now.get().isBefore(deadline) ? Admission.EXPIRED : null;
            lock.lock();
            try {
                if (me.granted) {
                    return Admission.STARTED;
                }
                if (stopping) {
                    waiters.remove(me);
                    return Admission.STOPPING;
                }
                if (outcome != null) {
                    waiters.remove(me);
                    return outcome;
                }
                long untilDeadline = Duration.between(now.get(), deadline).toNanos();
                me.wakeUp.awaitNanos(Math.max(1, Math.min(recheck.toNanos(), untilDeadline)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (me.granted) {
                    running--;
                    admit();
                } else {
                    waiters.remove(me);
                }
                return Admission.STOPPING;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A started node is settled: its place goes to the next waiting delivery. */
    public void release() {
        lock.lock();
        try {
            running--;
            admit();
        } finally {
            lock.unlock();
        }
    }

    public void limit(int limit) {
        lock.lock();
        try {
            this.limit = limit;
            admit();
        } finally {
            lock.unlock();
        }
    }

    /** The worker stops: every waiting delivery gives up, and none waits from now on. */
    public void stop() {
        lock.lock();
        try {
            stopping = true;
            waiters.forEach(w -> w.wakeUp.signal());
        } finally {
            lock.unlock();
        }
    }

    private void admit() {
        while (running < limit && !waiters.isEmpty()) {
            Waiter next = waiters.pollFirst();
            next.granted = true;
            running++;
            next.wakeUp.signal();
        }
    }

    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    private static final class Waiter {
        private final Condition wakeUp;
        private boolean granted;

        private Waiter(Condition wakeUp) {
            this.wakeUp = wakeUp;
        }
    }
}
