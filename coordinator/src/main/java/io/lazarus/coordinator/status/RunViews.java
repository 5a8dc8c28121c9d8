package io.lazarus.coordinator.status;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.registry.LeaseHolder;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.StoredReports;
import io.lazarus.coordinator.report.Reconciliation;
import io.lazarus.coordinator.run.InstallConsumers;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Builds the {@link RunView}s of the API and of {@code lazarus status}, from the registry. */
@Component
public class RunViews {

    private final RegistryStore registry;
    private final StoredReports reports;
    private final InstallConsumers consumers;

    public RunViews(RegistryStore registry, StoredReports reports, InstallConsumers consumers) {
        this.registry = registry;
        this.reports = reports;
        this.consumers = consumers;
    }

    /** The run with its books against the manifest; empty when the registry has no such run. */
    public Optional<RunView> view(String runId) {
        Optional<RunRecord> recorded = registry.run(runId);
        Optional<StoredReports.Books> booked = reports.books(runId);
        if (recorded.isEmpty() || booked.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = recorded.get();
        boolean running = run.finishedAt() == null;
        String followedBy =
                running ? registry.leaseHolder(runId).map(LeaseHolder::owner).orElse(null) : null;
        return Optional.of(view(run, booked.get().states(), booked.get().reconciliation(), running, followedBy));
    }

    /** The view of a running run from the registry's counts alone, without the books: a progress event. */
    public RunView progress(RunRecord run) {
        return view(run, registry.nodeStates(run.runId()), null, true, null);
    }

    private RunView view(
            RunRecord run,
            Map<NodeState, Integer> states,
            Reconciliation reconciliation,
            boolean running,
            String followedBy) {
        boolean queued = running && states.getOrDefault(NodeState.PENDING, 0) > 0;
        return new RunView(
                run.runId(),
                run.state().name(),
                run.createdAt(),
                run.deadline(),
                run.finishedAt(),
                run.scriptName(),
                run.scriptSha256(),
                run.total(),
                states,
                reconciliation,
                queued ? consumers.warning() : null,
                run.releaseStopped(),
                followedBy);
    }
}
