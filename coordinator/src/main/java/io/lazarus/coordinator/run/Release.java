package io.lazarus.coordinator.run;

import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.dispatch.InstallPublisher;
import io.lazarus.coordinator.registry.RegistryStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A run's messages in inventory order, released as its {@link ReleasePlan} allows. */
final class Release {

    /**
     * Records messages as released, but the first {@code recorded} of them, recorded already, and publishes them:
     * each one the broker confirms enters the run's manifest.
     */
    @FunctionalInterface
    interface Publish {
        void publish(FollowedRun run, List<InstallMessage> messages, int recorded, Progress progress);
    }

    private final FollowedRun run;
    private final List<InstallMessage> messages;
    private final ReleasePlan plan;
    private final Set<String> dispatched;
    private final RegistryStore registry;
    private final Clock clock;
    private final Publish publish;
    private final int recorded;
    private int released;

    /**
     * @param released   messages released already (a resumed run's dispatched and cancelled nodes come first)
     * @param recorded   messages recorded as released (at least {@code released}): those not published yet, the
     *                   first window a new run recorded with itself, are published first, whatever the plan says now
     * @param dispatched nodes whose message the broker confirmed already
     */
    Release(
            FollowedRun run,
            List<InstallMessage> messages,
            int released,
            int recorded,
            Set<String> dispatched,
            RegistryStore registry,
            Clock clock,
            Publish publish) {
        this.run = run;
        this.messages = messages;
        this.released = released;
        this.recorded = Math.max(released, recorded);
        this.dispatched = new HashSet<>(dispatched);
        this.plan = new ReleasePlan(messages.size(), run.options().flow());
        this.registry = registry;
        this.clock = clock;
        this.publish = publish;
    }

    /** Releases what the plan allows now; once it stopped, the nodes never released are CANCELLED. */
    void more(RunTracker tracker, Progress progress) {
        if (released < messages.size() && registry.cancelRequested(run.runId())) {
            plan.stop("the run was cancelled");
        }
        RunTracker.Progress p = tracker.progress();
        int failed = p.states().entrySet().stream()
                .filter(e -> FlowControl.spendsBudget(e.getKey()))
                .mapToInt(java.util.Map.Entry::getValue)
                .sum();
        int unpublished = Math.max(0, recorded - released); // released with the run: out whatever the plan says now
        int count = Math.max(unpublished, plan.releasable(released, p.count(NodeState.SUCCEEDED), failed));
        if (count > 0) {
            List<InstallMessage> batch = messages.subList(released, released + count);
            publish.publish(run, batch, unpublished, progress);
            batch.forEach(m -> dispatched.add(m.node().id()));
            released += count;
        }
        if (plan.stopped() != null && released < messages.size()) {
            List<InstallMessage> held = messages.subList(released, messages.size());
            progress.println("release stopped (%s): %d node(s) never released are CANCELLED"
                    .formatted(plan.stopped(), held.size()));
            String reason = "never released: " + plan.stopped();
            held.forEach(m -> tracker.cancel(m.node().id(), reason));
            registry.cancelUnreleased(run.lease(), plan.stopped(), clock.instant());
            released = messages.size();
        }
    }

    /**
     * How many of a new run's {@code total} nodes its first release takes, at most one window: recorded as released
     * with the run itself.
     */
    static int firstWindow(int total, FlowControl flow) {
        return Math.min(InstallPublisher.WINDOW, new ReleasePlan(total, flow).releasable(0, 0, 0));
    }

    int heldBack() {
        return messages.size() - released;
    }

    /** Nodes whose install message the broker confirmed. */
    Set<String> dispatched() {
        return dispatched;
    }

    int manifest() {
        return dispatched.size();
    }
}
