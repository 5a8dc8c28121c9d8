package io.lazarus.coordinator.history;

import io.lazarus.coordinator.report.LearnedStall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a run takes from the registry's history.
 *
 * @param order        the order it releases its nodes in
 * @param learnStall   whether it learns its commands' stall timeouts from their history; null for the coordinator's
 *                     {@code lazarus.history.learned-stall.enabled}
 * @param learnedStall what it learned, per command that had enough history; empty until the run starts
 */
public record RunHistory(RunOrder order, Boolean learnStall, List<LearnedStall> learnedStall) {

    /** A run recorded before history was used: released as listed, nothing learned. */
    public static final RunHistory NONE = new RunHistory(RunOrder.INVENTORY, false, List.of());

    public RunHistory {
        order = order == null ? RunOrder.INVENTORY : order;
        learnedStall = learnedStall == null ? List.of() : List.copyOf(learnedStall);
    }

    public RunHistory learned(List<LearnedStall> learned) {
        return new RunHistory(order, learnStall, learned);
    }

    /** The learned timeouts as an install message's watchdog carries them: by command index. */
    public Map<Integer, Duration> timeouts() {
        return learnedStall.stream()
                .collect(Collectors.toMap(LearnedStall::command, l -> Duration.ofMillis(l.timeoutMs())));
    }
}
