package io.lazarus.coordinator.service;

import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.run.Progress;
import io.lazarus.coordinator.run.RunOptions;
import io.lazarus.coordinator.run.RunService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Follows the service's runs, each on a virtual thread of its own: new ones, and those a previous service left. */
@Component
@ConditionalOnProperty("lazarus.service.enabled")
class RunLauncher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

    private final RunService runs;
    private final RegistryStore registry;
    private final ExecutorService followers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("run-", 0).factory());
    /** Runs followed now: a run created through the API while the start-up takes up unfinished ones is followed once. */
    private final Set<String> following = ConcurrentHashMap.newKeySet();

    RunLauncher(RunService runs, RegistryStore registry) {
        this.runs = runs;
        this.registry = registry;
    }

    void launch(
            String runId,
            List<InventoryNode> nodes,
            String inventoryText,
            InstallScript script,
            RunOptions options,
            String startedBy) {
        runs.register(runId, nodes, inventoryText, script, options);
        registry.recordStartedBy(runId, startedBy);
        follow(runId);
    }

    /** {@link RunService#cancel}: false if the run was not running. */
    boolean cancel(String runId) {
        return runs.cancel(runId);
    }

    private final java.util.concurrent.ScheduledExecutorService takeUp = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("take-up").factory());

    /**
     * Takes up the runs that {@code lazarus resurrect} or {@code quarantine release} reopened, every {@code interval}:
     * they have new attempts to follow.
     */
    void keepTakingUpReopened(java.time.Duration interval) {
        takeUp.scheduleWithFixedDelay(
                () -> {
                    try {
                        registry.claimReopened().forEach(runId -> {
                            log.info("taking up run {}, reopened by a resurrection", runId);
                            follow(runId);
                        });
                    } catch (RuntimeException e) {
                        log.warn("could not look for reopened runs: {}", e.getMessage());
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Takes up every run the registry says nobody finished following. */
    void resumeUnfinished() {
        for (String runId : registry.unfinishedRuns()) {
            log.info("taking up run {}", runId);
            follow(runId);
        }
    }

    private void follow(String runId) {
        if (!following.add(runId)) {
            return;
        }
        followers.execute(() -> {
            try {
                runs.resume(runId, Progress.QUIET);
                log.info("run {} ended", runId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error(
                        "following run {} failed; it stays unfinished and is taken up again at the next start",
                        runId,
                        e);
            } finally {
                following.remove(runId);
            }
        });
    }

    @Override
    public void close() {
        takeUp.shutdownNow();
        followers.shutdownNow();
    }
}
