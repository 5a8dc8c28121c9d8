package io.lazarus.coordinator.broker;

import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rights of each broker role, written once: the definitions file, the rabbitmqctl lines, the management API calls
 * and the Kubernetes resources say the same. Derived from what each component does:
 * <ul>
 * <li>the coordinator publishes install messages to {@code lazarus.install}, DEAD_LETTERED events to
 * {@code lazarus.registry} ({@code run.<runId>.dead_lettered}) and quarantined messages through the default exchange;
 * declares, binds, consumes and deletes the run queues {@code lazarus.run.<runId>} and the service's
 * {@code lazarus.registry.ingest} (a binding needs write on the queue and read on the exchange); takes candidates from
 * {@code lazarus.resurrection} and {@code lazarus.quarantine} and consumes {@code lazarus.dead-letters}. It never
 * consumes install messages. It publishes signed cancel notices to {@code lazarus.control};</li>
 * <li>a worker consumes {@code lazarus.install} and publishes STARTED and FINISHED events
 * ({@code run.<runId>.started}, {@code run.<runId>.<outcome>}); the broker dead-letters what it rejects. It declares
 * its own exclusive queue {@code lazarus.cancels.<random>}, binds it to {@code lazarus.control} and consumes it. It
 * publishes nothing else and reads nothing else;</li>
 * <li>monitoring reads queue depths through the management API and metrics, nothing over AMQP.</li>
 * </ul>
 * Checking a queue passively needs no permission, so the role users verify the topology the administrator declared.
 * Write on {@code amq.default} lets the coordinator publish to any queue by its name: RabbitMQ has no finer grain there.
 */
public final class BrokerRoles {

    /** A run id, as the contract allows it ({@code [A-Za-z0-9_-]}). */
    private static final String RUN_ID = "[A-Za-z0-9_-]+";

    private static final String RUN_QUEUE = q("lazarus.run.") + RUN_ID;
    private static final String INGEST_QUEUE = q("lazarus.registry.ingest");
    /** A worker's own queue of cancel notices: the prefix and a random base64url suffix. */
    private static final String CANCELS_QUEUE = q(Topology.CANCELS_QUEUE_PREFIX) + "[A-Za-z0-9_-]+";

    private BrokerRoles() {}

    public static List<RoleGrant> all() {
        return Arrays.stream(BrokerRole.values()).map(BrokerRoles::grant).toList();
    }

    public static RoleGrant grant(BrokerRole role) {
        return switch (role) {
            case ADMIN -> new RoleGrant(role, Optional.of("administrator"), Permissions.ALL, Optional.empty());
            case COORDINATOR ->
                new RoleGrant(
                        role,
                        Optional.empty(),
                        new Permissions(
                                anyOf(RUN_QUEUE, INGEST_QUEUE),
                                anyOf(
                                        q(Topology.INSTALL_EXCHANGE),
                                        q(Topology.REGISTRY_EXCHANGE),
                                        q(Topology.CONTROL_EXCHANGE),
                                        q("amq.default"),
                                        RUN_QUEUE,
                                        INGEST_QUEUE),
                                anyOf(
                                        q(Topology.REGISTRY_EXCHANGE),
                                        q(Topology.DEAD_LETTER_RECORD_QUEUE),
                                        q(Topology.RESURRECTION_QUEUE),
                                        q(Topology.QUARANTINE_QUEUE),
                                        RUN_QUEUE,
                                        INGEST_QUEUE)),
                        Optional.of(new TopicPermission(
                                Topology.REGISTRY_EXCHANGE,
                                "^run\\." + RUN_ID + "\\.dead_lettered$",
                                // run.<runId>.# for a run's queue, run.# for the service's ingest queue
                                "^run\\.(" + RUN_ID + "\\.)?#$")));
            case WORKER ->
                new RoleGrant(
                        role,
                        Optional.empty(),
                        new Permissions(
                                anyOf(CANCELS_QUEUE),
                                // a binding needs write on the queue and read on the exchange
                                anyOf(q(Topology.REGISTRY_EXCHANGE), CANCELS_QUEUE),
                                anyOf(q(Topology.INSTALL_QUEUE), q(Topology.CONTROL_EXCHANGE), CANCELS_QUEUE)),
                        Optional.of(new TopicPermission(
                                Topology.REGISTRY_EXCHANGE,
                                "^run\\." + RUN_ID + "\\.(started|output|"
                                        + Arrays.stream(Outcome.values())
                                                .map(Outcome::routingWord)
                                                .collect(Collectors.joining("|"))
                                        + ")$",
                                "^$")));
            case MONITORING -> new RoleGrant(role, Optional.of("monitoring"), Permissions.NONE, Optional.empty());
        };
    }

    /** {@code ^(a|b)$}: a whole name that is one of the alternatives. */
    private static String anyOf(String... alternatives) {
        return "^(" + String.join("|", alternatives) + ")$";
    }

    /** A name as a regular expression that matches it alone: its dots escaped. */
    private static String q(String name) {
        return name.replace(".", "\\.");
    }

    /** For tests and tools: whether {@code regex} lets {@code name} through, as RabbitMQ matches it (a search). */
    public static boolean allows(String regex, String name) {
        return Pattern.compile(regex).matcher(name).find();
    }
}
