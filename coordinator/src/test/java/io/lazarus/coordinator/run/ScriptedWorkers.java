package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.DeadLetter;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.Outcome;
import io.lazarus.coordinator.dispatch.CancelPublisher;
import io.lazarus.coordinator.dispatch.InstallPublisher;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.testkit.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The broker and its workers as the run core sees them: every install message is confirmed at once and answered at
 * once, as its node's name says: {@code ok-*} succeeds, {@code fail-*} fails, {@code silent-*} starts and is never
 * heard of again, {@code lost-*} is never started, {@code flaky-*} fails its first attempt in a way worth
 * resurrecting (dead-lettered, a candidate) and succeeds after, {@code queued-*} waits in the queue until its run's
 * cancel notice, then ends CANCELLED unstarted, {@code cancels-*} succeeds and has its run cancelled meanwhile (as an
 * operator would). A message published before the registry recorded its release is noted.
 */
final class ScriptedWorkers implements InstallPublisher, InstallConsumers, CancelPublisher {

    static final String WORKER = "worker-1";

    private final TestClock clock;
    private final RegistryStore registry;
    private final InMemoryRunEvents events;
    private final List<InstallMessage> published = new ArrayList<>();
    private final List<InstallMessage> publishedUnrecorded = new ArrayList<>();
    private final List<Long> releasedAtPublish = new ArrayList<>();
    private final List<DeadLetteredMessage> candidates = new ArrayList<>();
    private final List<InstallMessage> queued = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private int consumers = 1;
    private long mostInFlight;

    ScriptedWorkers(TestClock clock, RegistryStore registry, InMemoryRunEvents events) {
        this.clock = clock;
        this.registry = registry;
        this.events = events;
    }

    void consumers(int count) {
        consumers = count;
    }

    @Override
    public int count() {
        return consumers;
    }

    @Override
    public void prepare() {}

    @Override
    public synchronized void dispatch(
            List<InstallMessage> messages, int resurrections, Consumer<List<InstallMessage>> confirmed) {
        if (!messages.isEmpty()) {
            releasedAtPublish.add(registry.nodes(messages.getFirst().runId(), Optional.empty()).stream()
                    .filter(n -> n.dispatchedAttemptId() != null)
                    .count());
        }
        for (InstallMessage m : messages) {
            String recorded = registry.node(m.runId(), m.node().id())
                    .map(NodeRecord::dispatchedAttemptId)
                    .orElse(null);
            if (!m.attemptId().equals(recorded)) {
                publishedUnrecorded.add(m);
            }
            published.add(m);
            mostInFlight = Math.max(mostInFlight, published.size() - events.finishedTaken());
            answer(m);
        }
        confirmed.accept(messages);
    }

    /** What the node's worker says about this attempt, on the run's queue. */
    void answer(InstallMessage m) {
        String kind = m.node().id().substring(0, m.node().id().indexOf('-'));
        if (kind.equals("lost")) {
            return;
        }
        if (kind.equals("queued")) {
            queued.add(m);
            return;
        }
        events.publish(event(m, EventType.STARTED, null, null));
        switch (kind) {
            case "cancels" -> {
                registry.requestCancel(m.runId());
                events.publish(event(m, EventType.FINISHED, AttemptResult.without(Outcome.SUCCEEDED, ""), null));
            }
            case "ok" ->
                events.publish(event(m, EventType.FINISHED, AttemptResult.without(Outcome.SUCCEEDED, ""), null));
            case "fail" ->
                events.publish(
                        event(m, EventType.FINISHED, AttemptResult.without(Outcome.COMMAND_FAILED, "exit 100"), null));
            case "flaky" -> {
                if (m.attempt() > 1) {
                    events.publish(event(m, EventType.FINISHED, AttemptResult.without(Outcome.SUCCEEDED, ""), null));
                    return;
                }
                events.publish(event(
                        m,
                        EventType.FINISHED,
                        AttemptResult.without(Outcome.CONNECT_FAILED, "refused").resurrectable(true),
                        null));
                DeadLetter dead = new DeadLetter(DeadLetter.REJECTED, "lazarus.install", clock.instant(), 0);
                events.publish(event(m, EventType.DEAD_LETTERED, null, dead));
                candidates.add(new DeadLetteredMessage(
                        m.attemptId(), m.runId(), m.node().id(), m.attempt(), dead));
            }
            default -> {}
        }
    }

    /** As every worker hears a cancel notice: the run's queued nodes end CANCELLED, unstarted. */
    @Override
    public synchronized void announce(String runId, Instant cancelledAt, Instant runDeadline) {
        notices.add(runId);
        queued.removeIf(m -> {
            if (!m.runId().equals(runId)) {
                return false;
            }
            events.publish(event(
                    m,
                    EventType.FINISHED,
                    AttemptResult.without(Outcome.CANCELLED, "run cancelled before this node started"),
                    null));
            return true;
        });
    }

    /** The runs of the cancel notices published, one entry each. */
    synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    private AttemptEvent event(InstallMessage m, EventType type, AttemptResult result, DeadLetter deadLetter) {
        return new AttemptEvent(
                Contracts.SCHEMA_VERSION,
                type,
                m.attemptId(),
                m.runId(),
                m.node().id(),
                m.attempt(),
                clock.instant(),
                WORKER,
                false,
                result,
                deadLetter,
                null);
    }

    synchronized List<InstallMessage> published() {
        return List.copyOf(published);
    }

    synchronized List<String> publishedNodes() {
        return published.stream().map(m -> m.node().id()).toList();
    }

    synchronized List<InstallMessage> publishedUnrecorded() {
        return List.copyOf(publishedUnrecorded);
    }

    /** At each publish, how many of the run's nodes the registry held as released. */
    synchronized List<Long> releasedAtPublish() {
        return List.copyOf(releasedAtPublish);
    }

    /** The most released nodes whose outcome the follower had not taken yet, at any one publish. */
    synchronized long mostInFlight() {
        return mostInFlight;
    }

    /** The resurrection queue. */
    synchronized List<DeadLetteredMessage> candidates() {
        return candidates;
    }
}
