package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.ContractException;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.dispatch.InstallDispatcher;
import io.lazarus.coordinator.registry.NodeRecord;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.RunRecord;
import io.lazarus.coordinator.registry.Standing;
import io.lazarus.coordinator.trust.RunSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Drains {@code lazarus.resurrection} through the {@link Gatekeeper}. Every step that changes something happens in
 * the order that survives a crash: recorded, then published and confirmed by the broker, then the candidate is
 * acknowledged. A crash in between finds the candidate back in the queue and the node already moved on to the same
 * next attempt, which the gatekeeper then finishes.
 */
@Service
@EnableConfigurationProperties(ResurrectionProperties.class)
public class ResurrectionDrain implements CandidateDrain {

    private final ParkedQueues queues;
    private final InstallDispatcher dispatcher;
    private final RegistryStore registry;
    private final ResurrectionProperties properties;
    private final AmqpAdmin admin;
    private final RunSigner signer;

    ResurrectionDrain(
            ParkedQueues queues,
            InstallDispatcher dispatcher,
            RegistryStore registry,
            ResurrectionProperties properties,
            AmqpAdmin admin,
            RunSigner signer) {
        this.queues = queues;
        this.signer = signer;
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public int limit() {
        return properties.limit();
    }

    @Override
    public DrainReport drain(DrainRequest request, Consumer<Judged> each) {
        List<Judged> judged = new ArrayList<>();
        int left = 0;
        try (ParkedQueues.Pass sweep = queues.open(Topology.RESURRECTION_QUEUE)) {
            ParkedMessage message;
            while (judged.size() < request.max() && (message = sweep.next()) != null) {
                DeadLetteredMessage candidate = DeadLetteredMessage.of(message);
                if (request.runId().isPresent() && !request.runId().get().equals(candidate.runId())
                        || !request.selected().test(candidate)) {
                    sweep.hold(message);
                    left++;
                    continue;
                }
                Judged verdict = judge(candidate, message, request);
                if (request.dryRun() || verdict.verdict().kind() == Verdict.Kind.LEAVE) {
                    sweep.hold(message);
                } else {
                    carryOut(verdict, message, request.withinRun());
                    sweep.ack(message);
                }
                judged.add(verdict);
                each.accept(verdict);
            }
        }
        return new DrainReport(judged, left);
    }

    private Judged judge(DeadLetteredMessage candidate, ParkedMessage message, DrainRequest request) {
        InstallMessage install = readable(message.body());
        Optional<Standing> standing = candidate.identified()
                ? registry.standing(candidate.runId(), candidate.nodeId(), candidate.attemptId())
                : Optional.empty();
        Optional<String> tampered =
                install == null || standing.isEmpty() ? Optional.empty() : tampering(candidate, message, install);
        Verdict verdict = Gatekeeper.judge(
                candidate, install != null, standing, tampered, request.limit(), request.withinRun(), Instant.now());
        if (verdict.kind() != Verdict.Kind.RESURRECT) {
            return new Judged(
                    candidate,
                    verdict,
                    null,
                    0,
                    standing.map(Standing::resurrections).orElse(0),
                    request.dryRun());
        }
        Standing node = standing.get();
        // a candidate of the node's current attempt comes back as the next one; one whose successor the registry
        // already holds (a drain stopped between record and acknowledgement) finishes that one
        boolean current = candidate.attemptId().equals(node.currentAttemptId());
        String next =
                AttemptIds.successor(candidate.attemptId(), candidate.runId(), candidate.nodeId(), candidate.attempt());
        return new Judged(
                candidate,
                verdict,
                next,
                current ? node.attempt() + 1 : node.attempt(),
                current ? node.resurrections() + 1 : node.resurrections(),
                request.dryRun());
    }

    Optional<String> tampering(DeadLetteredMessage candidate, ParkedMessage message, InstallMessage install) {
        Optional<RunRecord> run = registry.run(candidate.runId());
        Optional<NodeRecord> node = registry.node(candidate.runId(), candidate.nodeId());
        if (run.isEmpty() || node.isEmpty()) {
            return Optional.of("tampered: the registry has no such node");
        }
        return Evidence.tampering(
                message.messageId(),
                message.headers(),
                message.body(),
                install,
                signer.trusted(),
                run.get(),
                node.get());
    }

    private void carryOut(Judged judged, ParkedMessage message, boolean withinRun) {
        DeadLetteredMessage c = judged.candidate();
        Verdict verdict = judged.verdict();
        Instant now = Instant.now();
        switch (verdict.kind()) {
            case RESURRECT ->
                bringBack(
                        c,
                        judged.nextAttemptId(),
                        judged.nextAttempt(),
                        withinRun,
                        judged.resurrections(),
                        verdict.kind().word(),
                        verdict.detail());
            case QUARANTINE -> {
                dispatcher.publishConfirmed(
                        "",
                        Topology.QUARANTINE_QUEUE,
                        true,
                        MessageBuilder.withBody(message.body())
                                .copyHeaders(withoutDeaths(message))
                                .setMessageId(message.messageId())
                                .setContentType(message.contentType())
                                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                                .setHeader(Topology.HEADER_QUARANTINE_REASON, verdict.detail())
                                .setHeader(Topology.HEADER_QUARANTINED_AT, now.toString())
                                .setHeader(
                                        Topology.HEADER_DEATH_REASON,
                                        c.deadLetter().reason())
                                .build());
                record(judged, now);
            }
            case DROP -> record(judged, now);
            case LEAVE -> throw new IllegalStateException("a candidate left in place is not carried out");
        }
    }

    /**
     * Publishes a node again as its next attempt, rebuilt from the registry's record of the run and the node (never from
     * the dead letter) and signed afresh: recorded first, then confirmed by the broker. Within its run it keeps the
     * run's deadline; brought back by an operator it gets the run's window again from now, and reopens the run, whose
     * events then wait in its queue for a follower.
     */
    void bringBack(
            DeadLetteredMessage c,
            String nextAttemptId,
            int nextAttempt,
            boolean withinRun,
            int resurrections,
            String verdict,
            String detail) {
        Instant now = Instant.now();
        RunRecord run = registry.run(c.runId()).orElseThrow();
        NodeRecord node = registry.node(c.runId(), c.nodeId()).orElseThrow();
        Instant deadline = withinRun ? run.deadline() : now.plus(DeadLetteredMessage.runWindow(run.options()));
        InstallMessage next = new InstallMessage(
                Contracts.SCHEMA_VERSION,
                nextAttemptId,
                c.runId(),
                nextAttempt,
                node.target(),
                new InstallScript(run.scriptName(), run.commands(), run.scriptSha256()),
                DeadLetteredMessage.watchdog(run.options()),
                deadline,
                DeadLetteredMessage.secrets(run.options()),
                run.vars(),
                DeadLetteredMessage.uploads(run.options()));
        if (!withinRun) {
            keepEvents(c.runId());
        }
        registry.recordResurrecting(c.attemptId(), next, resurrections, verdict, detail, !withinRun, now);
        dispatcher.dispatch(List.of(next), resurrections);
    }

    /** Declares the run's event queue (again), so the events of attempts published now wait for a follower. */
    private void keepEvents(String runId) {
        Declarables events = Topology.runEvents(runId);
        events.getDeclarablesByType(Queue.class).forEach(admin::declareQueue);
        events.getDeclarablesByType(Binding.class).forEach(admin::declareBinding);
    }

    private void record(Judged judged, Instant now) {
        DeadLetteredMessage c = judged.candidate();
        if (c.identified()) {
            registry.recordVerdict(
                    c.runId(),
                    c.nodeId(),
                    c.attemptId(),
                    c.attempt(),
                    judged.resurrections(),
                    judged.verdict().kind().word(),
                    judged.verdict().detail(),
                    judged.verdict().state(),
                    now);
        }
    }

    /** The broker's own death records stay with the broker: RabbitMQ 4 ignores x-death set by clients anyway. */
    private static java.util.Map<String, Object> withoutDeaths(ParkedMessage message) {
        java.util.Map<String, Object> headers = new java.util.HashMap<>(message.headers());
        headers.keySet()
                .removeIf(name ->
                        name.equals("x-death") || name.startsWith("x-first-death") || name.startsWith("x-last-death"));
        return headers;
    }

    private static InstallMessage readable(byte[] body) {
        try {
            return Contracts.readInstall(body);
        } catch (ContractException e) {
            return null;
        }
    }
}
