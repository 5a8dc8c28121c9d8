package io.lazarus.coordinator.resurrection;

import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.ContractException;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.dispatch.InstallDispatcher;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.Standing;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drains {@code lazarus.resurrection} through the {@link Gatekeeper}. Every step that changes something happens in
 * the order that survives a crash: recorded, then published and confirmed by the broker, then the candidate is
 * acknowledged. A crash in between finds the candidate back in the queue and the node already moved on to the same
 * next attempt, which the gatekeeper then finishes.
 */
@Service
@EnableConfigurationProperties(ResurrectionProperties.class)
public class ResurrectionDrain {

    private final ConnectionFactory connectionFactory;
    private final InstallDispatcher dispatcher;
    private final RegistryStore registry;
    private final ResurrectionProperties properties;
    private final AmqpAdmin admin;

    ResurrectionDrain(ConnectionFactory connectionFactory, InstallDispatcher dispatcher, RegistryStore registry,
            ResurrectionProperties properties, AmqpAdmin admin) {
        this.connectionFactory = connectionFactory;
        this.admin = admin;
        this.dispatcher = dispatcher;
        this.registry = registry;
        this.properties = properties;
    }

    public int limit() {
        return properties.limit();
    }

    /** Judges candidates until the queue has none left for this request; hands each judgement to {@code each}. */
    public DrainReport drain(DrainRequest request, Consumer<Judged> each) {
        List<Judged> judged = new ArrayList<>();
        int left = 0;
        try (QueueSweep sweep = new QueueSweep(connectionFactory, Topology.RESURRECTION_QUEUE)) {
            GetResponse message;
            while (judged.size() < request.max() && (message = sweep.next()) != null) {
                DeadLetteredMessage candidate = DeadLetteredMessage.of(message);
                if (request.runId().isPresent() && !request.runId().get().equals(candidate.runId())
                        || !request.due().test(candidate)) {
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

    private Judged judge(DeadLetteredMessage candidate, GetResponse message, DrainRequest request) {
        InstallMessage install = readable(message.getBody());
        Optional<Standing> standing = candidate.identified()
                ? registry.standing(candidate.runId(), candidate.nodeId(), candidate.attemptId())
                : Optional.empty();
        Verdict verdict = Gatekeeper.judge(candidate, install != null, standing, request.limit(), request.withinRun(),
                Instant.now());
        if (verdict.kind() != Verdict.Kind.RESURRECT) {
            return new Judged(candidate, verdict, null, request.dryRun());
        }
        String next = AttemptIds.successor(candidate.attemptId(), candidate.runId(), candidate.nodeId(),
                candidate.attempt());
        return new Judged(candidate, verdict, next, request.dryRun());
    }

    private void carryOut(Judged judged, GetResponse message, boolean withinRun) {
        DeadLetteredMessage c = judged.candidate();
        Verdict verdict = judged.verdict();
        Instant now = Instant.now();
        switch (verdict.kind()) {
            case RESURRECT -> {
                Standing standing = registry.standing(c.runId(), c.nodeId(), c.attemptId()).orElseThrow();
                bringBack(c, readable(message.getBody()), judged.nextAttemptId(), standing, withinRun,
                        c.deadLetter().resurrections() + 1, verdict.kind().word(), verdict.detail());
            }
            case QUARANTINE -> {
                dispatcher.publishConfirmed("", Topology.QUARANTINE_QUEUE, true, MessageBuilder.withBody(message.getBody())
                        .copyHeaders(withoutDeaths(message))
                        .setMessageId(message.getProps().getMessageId())
                        .setContentType(message.getProps().getContentType())
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .setHeader(Topology.HEADER_QUARANTINE_REASON, verdict.detail())
                        .setHeader(Topology.HEADER_QUARANTINED_AT, now.toString())
                        .setHeader(Topology.HEADER_DEATH_REASON, c.deadLetter().reason())
                        .build());
                record(judged, now);
            }
            case DROP -> record(judged, now);
            case LEAVE -> throw new IllegalStateException("a candidate left in place is not carried out");
        }
    }

    /**
     * Publishes a node again as its next attempt: recorded first, then confirmed by the broker. Within its run it
     * keeps the run's deadline; brought back by an operator it gets the run's window again from now, and reopens the
     * run, whose events then wait in its queue for a follower.
     */
    void bringBack(DeadLetteredMessage c, InstallMessage previous, String nextAttemptId, Standing standing,
            boolean withinRun, int resurrections, String verdict, String detail) {
        Instant now = Instant.now();
        Instant deadline = withinRun ? previous.deadline() : now.plus(DeadLetteredMessage.runWindow(standing.runOptions()));
        InstallMessage next = new InstallMessage(Contracts.SCHEMA_VERSION, nextAttemptId, c.runId(), c.attempt() + 1,
                previous.node(), previous.script(), previous.watchdog(), deadline);
        if (!withinRun) {
            keepEvents(c.runId());
        }
        registry.recordResurrecting(c.attemptId(), next, resurrections, verdict, detail, !withinRun, now);
        dispatcher.dispatch(List.of(next), resurrections,
                confirmed -> registry.recordDispatched(c.runId(), confirmed, Instant.now()));
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
            registry.recordVerdict(c.runId(), c.nodeId(), c.attemptId(), c.attempt(), c.deadLetter().resurrections(),
                    judged.verdict().kind().word(), judged.verdict().detail(), judged.verdict().state(), now);
        }
    }

    /** The broker's own death records stay with the broker: RabbitMQ 4 ignores x-death set by clients anyway. */
    private static java.util.Map<String, Object> withoutDeaths(GetResponse message) {
        java.util.Map<String, Object> headers = new java.util.HashMap<>(DeadLetteredMessage.headers(message));
        headers.keySet().removeIf(name -> name.equals("x-death") || name.startsWith("x-first-death")
                || name.startsWith("x-last-death"));
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
