package io.lazarus.coordinator.run;

import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.resurrection.CandidateDrain;
import io.lazarus.coordinator.resurrection.DeadLetteredMessage;
import io.lazarus.coordinator.resurrection.DrainReport;
import io.lazarus.coordinator.resurrection.DrainRequest;
import io.lazarus.coordinator.resurrection.Judged;
import io.lazarus.coordinator.resurrection.Verdict;
import io.lazarus.testkit.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The resurrection queue of {@link ScriptedWorkers} drained with a gatekeeper that brings every due candidate back:
 * recorded, then published, as the real drain does.
 */
final class InMemoryCandidates implements CandidateDrain {

    private final ScriptedWorkers workers;
    private final RegistryStore registry;
    private final TestClock clock;
    private final Map<String, Instant> resurrectedAt = new LinkedHashMap<>();

    InMemoryCandidates(ScriptedWorkers workers, RegistryStore registry, TestClock clock) {
        this.workers = workers;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public int limit() {
        return 3;
    }

    @Override
    public DrainReport drain(DrainRequest request, Consumer<Judged> each) {
        List<Judged> judged = new ArrayList<>();
        int left = 0;
        for (DeadLetteredMessage c : List.copyOf(workers.candidates())) {
            if (request.runId().isPresent() && !request.runId().get().equals(c.runId())
                    || !request.selected().test(c)) {
                left++;
                continue;
            }
            workers.candidates().remove(c);
            RunRecord run = registry.run(c.runId()).orElseThrow();
            NodeRecord node = registry.node(c.runId(), c.nodeId()).orElseThrow();
            InstallMessage next = new InstallMessage(
                    Contracts.SCHEMA_VERSION,
                    AttemptIds.successor(c.attemptId(), c.runId(), c.nodeId(), c.attempt()),
                    c.runId(),
                    c.attempt() + 1,
                    node.target(),
                    new InstallScript(run.scriptName(), run.commands(), run.scriptSha256()),
                    null,
                    run.deadline(),
                    List.of(),
                    run.vars(),
                    null);
            int resurrections = node.resurrections() + 1;
            Judged verdict = new Judged(
                    c,
                    new Verdict(Verdict.Kind.RESURRECT, NodeState.PENDING, "worth another try"),
                    next.attemptId(),
                    next.attempt(),
                    resurrections,
                    false);
            resurrectedAt.put(c.nodeId(), clock.instant());
            registry.recordResurrecting(
                    c.attemptId(), next, resurrections, "resurrected", "worth another try", false, clock.instant());
            workers.dispatch(List.of(next), resurrections);
            judged.add(verdict);
            each.accept(verdict);
        }
        return new DrainReport(judged, left);
    }

    Map<String, Instant> resurrectedAt() {
        return resurrectedAt;
    }
}
