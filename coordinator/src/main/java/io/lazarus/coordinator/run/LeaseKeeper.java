package io.lazarus.coordinator.run;

import io.lazarus.coordinator.registry.Lease;
import io.lazarus.coordinator.registry.RegistryStore;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a followed run's lease every third of its duration, on a thread of its own so that a long publish does not
 * let it lapse. The first renewal that finds the lease taken interrupts the follower: it stops at once.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Lease lease;
    private final Thread follower;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("lease-").factory());
    private volatile boolean lost;

    LeaseKeeper(Lease lease, ReplicaProperties.Lease settings, RegistryStore registry, Clock clock, Thread follower) {
        this.lease = lease;
        this.follower = follower;
        long every = settings.renewEvery().toMillis();
        renewals.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (!registry.renewLease(lease, clock.instant().plus(settings.duration()))) {
                            takenOver();
                        }
                    } catch (RuntimeException e) {
                        // the registry did not answer: the lease may lapse; the fenced writes still refuse a lost one
                        log.warn("could not renew the lease of run {}: {}", lease.runId(), e.getMessage());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    /** Another replica has the run now (a renewal or a fenced write found out): the follower stops at once. */
    synchronized void takenOver() {
        if (lost) {
            return;
        }
        lost = true;
        log.warn(
                "replica {} lost the lease of run {} (epoch {}): stopping following it",
                lease.owner(),
                lease.runId(),
                lease.epoch());
        follower.interrupt();
        renewals.shutdown();
    }

    /** Whether another replica has taken the lease. */
    boolean lost() {
        return lost;
    }

    Lease lease() {
        return lease;
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
