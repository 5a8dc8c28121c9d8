package io.lazarus.coordinator.ec2;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * Terminates instances Lazarus launched: only instances tagged {@code lazarus:run} are ever found, whatever the
 * filters, so a filter too wide cannot reach the rest of an account.
 */
public final class Ec2Terminator {

    static final int IDS_PER_CALL = 1000;
    private static final String DRY_RUN_OK = "DryRunOperation";

    private final Ec2Session session;

    public Ec2Terminator(Ec2Session session) {
        this.session = session;
    }

    /** An instance's state before and after TerminateInstances. */
    public record Transition(String id, String from, String to) {
        @Override
        public String toString() {
            return id + ": " + from + " -> " + to;
        }
    }

    /** The instances of a run: tagged {@code lazarus:run=RUN}. */
    public static Filter run(String runId) {
        return Filter.builder().name("tag:" + Ec2Instance.RUN_TAG).values(runId).build();
    }

    /** Launched by Lazarus, not yet terminated, and matching every filter. */
    public List<Ec2Instance> find(String option, List<Filter> filters) {
        List<Filter> all = Ec2Discovery.with(
                filters,
                Filter.builder().name("tag-key").values(Ec2Instance.RUN_TAG).build());
        all = Ec2Discovery.with(
                all,
                Filter.builder()
                        .name(Ec2Discovery.STATE)
                        .values("pending", "running", "stopping", "stopped")
                        .build());
        return new Ec2Discovery(session).find(option, all).instances();
    }

    /** Asks EC2 whether these credentials may terminate the instances, terminating none (the API's DryRun). */
    public void checkPermission(List<String> ids) {
        for (List<String> chunk : Ec2Calls.chunks(ids, IDS_PER_CALL)) {
            try {
                Ec2Calls.call(
                        "TerminateInstances",
                        () -> session.client()
                                .terminateInstances(TerminateInstancesRequest.builder()
                                        .instanceIds(chunk)
                                        .dryRun(true)
                                        .build()));
                throw Ec2Exception.aws(
                        "ec2:TerminateInstances with DryRun did not answer " + DRY_RUN_OK + ": is the endpoint EC2?",
                        null);
            } catch (Ec2Exception e) {
                if (!DRY_RUN_OK.equals(e.code())) {
                    throw e;
                }
            }
        }
    }

    public List<Transition> terminate(List<String> ids) {
        List<Transition> transitions = new ArrayList<>();
        for (List<String> chunk : Ec2Calls.chunks(ids, IDS_PER_CALL)) {
            TerminateInstancesResponse response = Ec2Calls.call(
                    "TerminateInstances",
                    () -> session.client()
                            .terminateInstances(TerminateInstancesRequest.builder()
                                    .instanceIds(chunk)
                                    .build()));
            response.terminatingInstances()
                    .forEach(change -> transitions.add(new Transition(
                            change.instanceId(),
                            change.previousState().nameAsString(),
                            change.currentState().nameAsString())));
        }
        return transitions;
    }
}
