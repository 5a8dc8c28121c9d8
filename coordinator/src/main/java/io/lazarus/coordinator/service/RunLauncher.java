package io.lazarus.coordinator.service;

import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.history.RunOrder;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.Lease;
import io.lazarus.coordinator.registry.LeaseLost;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.run.Progress;
import io.lazarus.coordinator.run.ReplicaProperties;
import io.lazarus.coordinator.run.RunOptions;
import io.lazarus.coordinator.run.RunService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Follows runs on virtual threads of their own: those created here, and any unfinished run whose lease this replica
 * wins (a run nobody follows, or whose follower stopped renewing its lease).
 */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
class RunLauncher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

    private final RunService runs;
    private final RegistryStore registry;
    private final ExecutorService followers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("run-", 0).factory());
    private final ScheduledExecutorService takeUp = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("take-up").factory());
    /** Runs this replica follows now: it does not ask for their leases again. */
    private final Set<String> following = ConcurrentHashMap.newKeySet();

    private final ReplicaProperties replica;
    private final Clock clock;
    private final FinishedReports finished;

    RunLauncher(
            RunService runs, RegistryStore registry, ReplicaProperties replica, Clock clock, FinishedReports finished) {
        this.runs = runs;
        this.registry = registry;
        this.replica = replica;
        this.clock = clock;
        this.finished = finished;
    }

    void launch(
            String runId,
            List<InventoryNode> nodes,
            String inventoryText,
            InstallScript script,
            RunOptions options,
            String startedBy) {
        Lease lease = runs.register(runId, nodes, inventoryText, script, options);
        registry.recordStartedBy(runId, startedBy);
        follow(lease);
    }

    /** {@link RunService#releaseOrder}: the nodes as the run would release them. */
    List<InventoryNode> releaseOrder(List<InventoryNode> nodes, RunOrder order, Integer canary) {
        return runs.releaseOrder(nodes, order, canary);
    }

    /** {@link RunService#cancel}: false if the run was not running. */
    boolean cancel(String runId) {
        return runs.cancel(runId);
    }

    /**
     * Every {@code lease.duration / 3}, from now on: takes the lease of each unfinished run that nobody follows (new,
     * left by a replica that died or let go, or reopened by a resurrection) and follows it. Of the replicas that look
     * at once, one wins a run.
     */
    void keepTakingUp() {
        long every = replica.lease().renewEvery().toMillis();
        takeUp.scheduleWithFixedDelay(
                () -> {
                    try {
                        finished.forgetExpired();
                        takeUpUnfollowed();
                    } catch (RuntimeException e) {
                        log.warn("could not look for runs nobody follows: {}", e.getMessage());
                    }
                },
                0,
                every,
                TimeUnit.MILLISECONDS);
    }

    private void takeUpUnfollowed() {
        for (String runId : registry.unfinishedRuns()) {
            if (following.contains(runId)) {
                continue;
            }
            Instant now = clock.instant();
            registry.acquireLease(
                            runId,
                            replica.replicaId(),
                            now,
                            now.plus(replica.lease().duration()))
                    .ifPresent(lease -> {
                        log.info("replica {} takes up run {} (lease epoch {})", lease.owner(), runId, lease.epoch());
                        follow(lease);
                    });
        }
    }

    private void follow(Lease lease) {
        String runId = lease.runId();
        if (!following.add(runId)) {
            registry.releaseLease(lease);
            return;
        }
        followers.execute(() -> {
            try {
                finished.finished(runs.resume(lease, Progress.QUIET));
                log.info("run {} ended", runId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (lost(e)) {
                    log.warn("{}; stopped following it", e.getMessage());
                } else {
                    log.error("following run {} failed; it stays unfinished and a replica takes it up again", runId, e);
                }
            } finally {
                following.remove(runId);
            }
        });
    }

    private static boolean lost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LeaseLost) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        takeUp.shutdownNow();
        followers.shutdownNow();
        try {
            // the followers let their leases go: another replica takes their runs up at its next look
            followers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
