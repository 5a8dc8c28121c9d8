package io.lazarus.coordinator.ec2;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Launches instances for a run and waits until they can take an install: the security group admits SSH, RunInstances
 * in batches (each instance tagged with the run), then both status checks passed. What falls short is told: a batch
 * EC2 filled only in part, a batch it refused, an instance dead on arrival.
 */
public final class Ec2Provisioner {

    private final Ec2Session session;

    public Ec2Provisioner(Ec2Session session) {
        this.session = session;
    }

    /**
     * @param tags                    more instance tags; {@code Name} replaces the default {@code lazarus-RUN}
     * @param sshCidrs                where SSH may come from: the workers' addresses
     * @param terminateDeadOnArrival  terminate instances that never passed their status checks
     */
    public record Request(
            String runId,
            int count,
            String instanceType,
            String ami,
            String keyName,
            String securityGroup,
            String subnet,
            Map<String, String> tags,
            List<String> sshCidrs,
            Duration waitTimeout,
            boolean terminateDeadOnArrival) {

        public Request {
            tags = Map.copyOf(tags);
            sshCidrs = List.copyOf(sshCidrs);
        }
    }

    /**
     * @param ready         running, both status checks passed
     * @param deadOnArrival launched, never passed its status checks: instance id and why
     * @param shortfalls    batches EC2 filled in part or refused
     * @param terminated    the dead on arrival terminated on request
     */
    public record Result(
            String runId,
            int requested,
            int launched,
            List<Ec2Instance> ready,
            Map<String, String> deadOnArrival,
            List<String> shortfalls,
            List<Ec2Terminator.Transition> terminated) {

        public boolean complete() {
            return ready.size() == requested;
        }
    }

    public Result provision(Request request, PrintStream out) throws InterruptedException {
        if (!request.securityGroup().startsWith("sg-")) {
            throw Ec2Exception.input(
                    "--security-group takes a group id (sg-...), was '" + request.securityGroup() + "'");
        }
        request.sshCidrs().forEach(SshIngress::validate);
        if (request.sshCidrs().stream().anyMatch(SshIngress::anywhere)) {
            out.println("warning: --ssh-cidr opens SSH on " + request.securityGroup() + " to the whole internet");
        }
        new SshIngress(session)
                .ensure(request.securityGroup(), request.sshCidrs())
                .forEach(out::println);

        List<String> shortfalls = new ArrayList<>();
        List<String> launched = launch(request, shortfalls, out);
        if (launched.isEmpty()) {
            return new Result(request.runId(), request.count(), 0, List.of(), Map.of(), shortfalls, List.of());
        }
        out.printf(
                "waiting for %d instance(s) to run and pass their status checks (at most %ds)%n",
                launched.size(), request.waitTimeout().toSeconds());
        StatusChecks.Outcome checks = new StatusChecks(
                        session, session.settings().statusPollInterval())
                .await(launched, request.waitTimeout(), out);
        List<Ec2Instance> ready = new Ec2Discovery(session).byIds(checks.passed());
        List<Ec2Terminator.Transition> terminated = request.terminateDeadOnArrival()
                        && !checks.dead().isEmpty()
                ? new Ec2Terminator(session).terminate(List.copyOf(checks.dead().keySet()))
                : List.of();
        return new Result(
                request.runId(), request.count(), launched.size(), ready, checks.dead(), shortfalls, terminated);
    }

    /** The ids EC2 launched, batch by batch; what a batch did not launch goes to {@code shortfalls}. */
    private List<String> launch(Request request, List<String> shortfalls, PrintStream out) {
        int batchSize = session.settings().launchBatch();
        int batches = (request.count() + batchSize - 1) / batchSize;
        List<Tag> tags = tags(request).entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                .toList();
        List<String> launched = new ArrayList<>();
        int asked = 0;
        for (int batch = 1; batch <= batches; batch++) {
            int size = Math.min(batchSize, request.count() - asked);
            asked += size;
            // the same token for the same run and batch: a retried or repeated call launches nothing twice
            RunInstancesRequest run = RunInstancesRequest.builder()
                    .imageId(request.ami())
                    .instanceType(request.instanceType())
                    .keyName(request.keyName())
                    .securityGroupIds(request.securityGroup())
                    .subnetId(request.subnet())
                    .minCount(1)
                    .maxCount(size)
                    .clientToken(request.runId() + "-" + batch)
                    .tagSpecifications(TagSpecification.builder()
                            .resourceType(ResourceType.INSTANCE)
                            .tags(tags)
                            .build())
                    .build();
            try {
                RunInstancesResponse response =
                        Ec2Calls.call("RunInstances", () -> session.client().runInstances(run));
                List<String> ids =
                        response.instances().stream().map(Instance::instanceId).toList();
                launched.addAll(ids);
                out.printf("batch %d/%d: launched %d of %d%n", batch, batches, ids.size(), size);
                if (ids.size() < size) {
                    shortfalls.add("batch %d: EC2 launched %d of %d".formatted(batch, ids.size(), size));
                }
            } catch (Ec2Exception e) {
                if (launched.isEmpty() && !capacity(e)) {
                    throw e;
                }
                shortfalls.add("batch %d: %d instance(s) not launched: %s".formatted(batch, size, e.getMessage()));
                out.println(shortfalls.getLast());
                if (!capacity(e) && asked < request.count()) {
                    // any other refusal would meet the next batch too
                    shortfalls.add("%d instance(s) not asked for after that".formatted(request.count() - asked));
                    break;
                }
            }
        }
        return launched;
    }

    /** Capacity comes and goes between batches; a refused AMI, key or permission does not. */
    private static boolean capacity(Ec2Exception e) {
        return e.code() != null && e.code().startsWith("Insufficient");
    }

    static Map<String, String> tags(Request request) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Name", "lazarus-" + request.runId());
        tags.putAll(request.tags());
        tags.put(Ec2Instance.RUN_TAG, request.runId());
        return tags;
    }
}
