package io.lazarus.coordinator.trust;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.ContractException;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.trust.Printable;
import io.lazarus.coordinator.registry.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * What an event must prove before the registry takes its word: that a worker sent it (RabbitMQ vouches for the
 * user-id against the login that published it), or the coordinator for a dead letter, and that it is about an attempt
 * this coordinator dispatched. Whatever fails is dropped, counted by reason and logged: a broker login alone cannot
 * set a node's outcome.
 */
@Component
public class EventGate {

    private static final Logger log = LoggerFactory.getLogger(EventGate.class);
    /** An attacker may send millions: the log says the first few per reason, the counter keeps the rest. */
    private static final int LOGGED_PER_REASON = 20;
    /**
     * Larger than any event a worker sends: an output chunk is at most 64 KiB of text, and JSON may write a control
     * character in six.
     */
    static final int MAX_EVENT_BYTES = 2 * 1024 * 1024;

    private final RegistryStore registry;
    private final Set<String> workers;
    private final Set<String> coordinators;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    EventGate(
            RegistryStore registry, TrustProperties trust, ConnectionFactory connectionFactory, MeterRegistry meters) {
        this.registry = registry;
        this.meters = meters;
        this.workers = trust.workerUsers();
        Set<String> coordinators = new HashSet<>(trust.coordinatorUsers());
        coordinators.add(connectionFactory.getUsername());
        this.coordinators = Set.copyOf(coordinators);
        if (workers.contains(connectionFactory.getUsername())) {
            // said where an operator reads the service's log, not on every command's output
            log.info(
                    "the broker login {} is both this coordinator's and a worker's (lazarus.trust.worker-users): anyone"
                            + " who holds it can report outcomes. Give each role its own login: lazarus broker setup",
                    connectionFactory.getUsername());
        }
    }

    /**
     * The events the message carries that the registry may record: a worker's message carries several (an array, see
     * {@link Contracts#readEvents}), each judged on its own; a message that does not read is dropped whole.
     */
    public List<AttemptEvent> admit(Message message) {
        if (message.getBody().length > MAX_EVENT_BYTES) {
            drop(
                    "too-large",
                    "a message of " + message.getBody().length + " bytes, more than " + MAX_EVENT_BYTES
                            + " (routing key " + message.getMessageProperties().getReceivedRoutingKey() + ")");
            return List.of();
        }
        List<AttemptEvent> events;
        try {
            events = Contracts.readEvents(message.getBody());
        } catch (ContractException e) {
            drop("unreadable", e.getMessage());
            return List.of();
        }
        String sender = message.getMessageProperties().getReceivedUserId();
        List<AttemptEvent> admitted = new ArrayList<>(events.size());
        for (AttemptEvent event : events) {
            if (admits(event, sender)) {
                admitted.add(event);
            }
        }
        return admitted;
    }

    private boolean admits(AttemptEvent event, String sender) {
        boolean fromWorker = event.type() != EventType.DEAD_LETTERED;
        if (sender == null || !(fromWorker ? workers : coordinators).contains(sender)) {
            return drop(
                    fromWorker ? "not-a-worker" : "not-a-coordinator",
                    event.type() + " event for "
                            + event.runId() + "/" + event.nodeId() + " published by "
                            + (sender == null ? "a login that set no user-id" : "broker login " + sender)
                            + ", not one of " + (fromWorker ? workers : coordinators));
        }
        // one lookup for the usual event, of an attempt this coordinator dispatched
        if (registry.dispatched(event.runId(), event.nodeId(), event.attemptId())) {
            return true;
        }
        if (!registry.knows(event.runId(), event.nodeId())) {
            return false; // another registry's run
        }
        return drop(
                "not-dispatched",
                event.type() + " event for attempt " + event.attemptId() + ", which this coordinator never dispatched");
    }

    /** Events dropped so far by this process, by reason. */
    public Map<String, Long> dropped() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        dropped.forEach((reason, count) -> counts.put(reason, count.get()));
        return counts;
    }

    /** Always false: the event is not admitted. */
    private boolean drop(String reason, String detail) {
        long count = dropped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        meters.counter("lazarus.coordinator.events.dropped", "reason", reason).increment();
        if (count <= LOGGED_PER_REASON) {
            log.warn(
                    "dropped an event ({}): {}{}",
                    reason,
                    Printable.of(detail, 600),
                    count == LOGGED_PER_REASON ? " (further drops for this reason are only counted)" : "");
        }
        return false;
    }
}
