package io.lazarus.coordinator.history;

import io.lazarus.common.contract.InstallScript;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.report.LearnedStall;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * What a new run learns from the registry's history of earlier runs: the stall timeouts of its commands, and which of
 * its nodes failed in passing lately. Nothing of it is kept apart from the registry, so it survives any restart.
 */
@Component
@EnableConfigurationProperties(HistoryProperties.class)
public class FleetHistory {

    private final RegistryStore registry;
    private final HistoryProperties properties;
    private final StallEstimator estimator;
    private final Clock clock;

    public FleetHistory(RegistryStore registry, HistoryProperties properties, Clock clock) {
        this.registry = registry;
        this.properties = properties;
        this.estimator = new StallEstimator(properties.learnedStall());
        this.clock = clock;
    }

    /**
     * The run's history with the stall timeouts learned for those commands of the script that have enough successful
     * runs in the registry, each at most {@code runStall} (the run's {@code --stall-timeout}, null for none).
     */
    public RunHistory learn(InstallScript script, RunHistory history, Duration runStall) {
        HistoryProperties.LearnedStall settings = properties.learnedStall();
        boolean learn = history.learnStall() != null ? history.learnStall() : settings.enabled();
        if (!learn) {
            return history.learned(List.of());
        }
        long ceiling = settings.ceiling().toMillis();
        if (runStall != null) {
            ceiling = Math.min(ceiling, runStall.toMillis());
        }
        List<LearnedStall> learned = new ArrayList<>();
        List<String> commands = script.commands();
        for (int index = 0; index < commands.size(); index++) {
            List<Long> samples = registry.commandSilences(
                    script.name(),
                    InstallScript.digest(List.of(commands.get(index))),
                    clock.instant().minus(settings.lookback()),
                    settings.window());
            OptionalLong timeout = estimator.estimate(samples, ceiling);
            if (timeout.isPresent()) {
                learned.add(new LearnedStall(index, timeout.getAsLong(), samples.size()));
            }
        }
        return history.learned(learned);
    }

    /**
     * The nodes in the order a run would release them, to show before it starts: a random order is shown as listed,
     * since the run draws its own.
     */
    public <T> List<T> preview(List<T> nodes, Function<T, String> id, RunOrder order, int canary) {
        return order(nodes, id, order == RunOrder.RANDOM ? RunOrder.INVENTORY : order, canary);
    }

    /** The nodes in the order the run releases them; the first {@code canary} keep their inventory place. */
    public <T> List<T> order(List<T> nodes, Function<T, String> id, RunOrder order, int canary) {
        Map<String, Integer> failures = order == RunOrder.HISTORY
                ? registry.transientFailures(clock.instant().minus(properties.flakyLookback()))
                : Map.of();
        return ReleaseOrder.of(nodes, id, order, canary, failures, new Random());
    }
}
