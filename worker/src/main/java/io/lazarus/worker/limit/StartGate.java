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
 * started. A waiting delivery gives up its place when its run is cancelled, its deadline passes or the worker stops.
 * It sleeps until one of those can have happened: its deadline, a {@link #recheckCancelled()} or the stop. Thousands
 * wait at once, so none of them wakes to look for nothing.
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

    /** Far enough never to matter, near enough not to overflow nanoseconds. */
    private static final Duration LONGEST_SLEEP = Duration.ofDays(1);

    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final Supplier<Instant> now;
    private int limit;
    private int running;
    private boolean stopping;

    public StartGate(int limit, Supplier<Instant> now) {
        this.limit = limit;
        this.now = now;
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
                if (me.recheck) {
                    me.recheck = false;
                    continue;
                }
                me.wakeUp.awaitNanos(nanosUntil(deadline));
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

    /** A run was cancelled: every waiting delivery looks again whether it was its run. */
    public void recheckCancelled() {
        lock.lock();
        try {
            waiters.forEach(w -> {
                w.recheck = true;
                w.wakeUp.signal();
            });
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

    private long nanosUntil(Instant deadline) {
        Duration left = Duration.between(now.get(), deadline);
        return left.compareTo(LONGEST_SLEEP) > 0 ? LONGEST_SLEEP.toNanos() : Math.max(1, left.toNanos());
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
        /** Set by {@link #recheckCancelled()}: look again before sleeping, even if the signal came while looking. */
        private boolean recheck;

        private Waiter(Condition wakeUp) {
            this.wakeUp = wakeUp;
        }
    }
}
