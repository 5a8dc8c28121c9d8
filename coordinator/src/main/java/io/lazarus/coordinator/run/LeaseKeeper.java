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
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("lease-").factory());
    private volatile boolean lost;

    LeaseKeeper(Lease lease, ReplicaProperties.Lease settings, RegistryStore registry, Clock clock, Thread follower) {
        this.lease = lease;
        long every = settings.renewEvery().toMillis();
        renewals.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (!registry.renewLease(lease, clock.instant().plus(settings.duration()))) {
                            lost = true;
                            log.warn(
                                    "replica {} lost the lease of run {} (epoch {}): stopping following it",
                                    lease.owner(),
                                    lease.runId(),
                                    lease.epoch());
                            follower.interrupt();
                            renewals.shutdown();
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

    /** Whether a renewal found the lease taken by another replica. */
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
