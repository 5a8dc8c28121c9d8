package io.lazarus.coordinator.resurrection;

import io.lazarus.common.contract.AttemptIds;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.registry.RegistryStore;
import io.lazarus.coordinator.registry.Standing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;

/**
 * The parking queue {@code lazarus.quarantine}: nodes that reached the resurrection limit, poison messages, and
 * candidates that could not be read. Listing leaves every message in place; releasing sends a node back as a new
 * attempt with its resurrections counted from zero, acknowledged only once the broker confirmed it.
 */
@Service
public class Quarantine {

    private final ParkedQueues queues;
    private final RegistryStore registry;
    private final ResurrectionDrain drain;

    Quarantine(ParkedQueues queues, RegistryStore registry, ResurrectionDrain drain) {
        this.queues = queues;
        this.registry = registry;
        this.drain = drain;
    }

    /** One parked message, as its headers describe it. */
    public record Parked(DeadLetteredMessage message, String reason, String quarantinedAt) {}

    /** One released message: the attempt it came back as, or why it stays. */
    public record Released(Parked parked, String nextAttemptId, String stayed) {}

    public List<Parked> list(Predicate<DeadLetteredMessage> selected) {
        List<Parked> parked = new ArrayList<>();
        try (ParkedQueues.Pass sweep = queues.open(Topology.QUARANTINE_QUEUE)) {
            ParkedMessage message;
            while ((message = sweep.next()) != null) {
                sweep.hold(message);
                Parked p = parked(message);
                if (selected.test(p.message())) {
                    parked.add(p);
                }
            }
        }
        return parked;
    }

    public List<Released> release(Predicate<DeadLetteredMessage> selected, boolean dryRun) {
        List<Released> released = new ArrayList<>();
        try (ParkedQueues.Pass sweep = queues.open(Topology.QUARANTINE_QUEUE)) {
            ParkedMessage message;
            while ((message = sweep.next()) != null) {
                Parked p = parked(message);
                if (!selected.test(p.message())) {
                    sweep.hold(message);
                    continue;
                }
                Released outcome = release(p, message, dryRun);
                if (dryRun || outcome.stayed() != null) {
                    sweep.hold(message);
                } else {
                    sweep.ack(message);
                }
                released.add(outcome);
            }
        }
        return released;
    }

    private Released release(Parked parked, ParkedMessage message, boolean dryRun) {
        DeadLetteredMessage m = parked.message();
        InstallMessage previous;
        try {
            previous = Contracts.readInstall(message.body());
        } catch (RuntimeException e) {
            return new Released(parked, null, "its body is not an install message: " + e.getMessage());
        }
        Optional<Standing> standing = registry.standing(m.runId(), m.nodeId(), m.attemptId());
        if (standing.isEmpty()) {
            return new Released(parked, null, "run " + m.runId() + " is not in this registry");
        }
        Optional<String> tampered = drain.tampering(m, message, previous);
        if (tampered.isPresent()) {
            return new Released(parked, null, tampered.get());
        }
        String nextId = AttemptIds.successor(m.attemptId(), m.runId(), m.nodeId(), m.attempt());
        if (dryRun) {
            return new Released(parked, nextId, null);
        }
        boolean current = m.attemptId().equals(standing.get().currentAttemptId());
        drain.bringBack(
                m,
                nextId,
                current ? standing.get().attempt() + 1 : standing.get().attempt(),
                false,
                0,
                "released",
                "released from quarantine");
        return new Released(parked, nextId, null);
    }

    private static Parked parked(ParkedMessage message) {
        Map<String, Object> headers = message.headers();
        return new Parked(
                DeadLetteredMessage.of(message),
                String.valueOf(headers.getOrDefault(Topology.HEADER_QUARANTINE_REASON, "")),
                String.valueOf(headers.getOrDefault(Topology.HEADER_QUARANTINED_AT, "")));
    }
}
