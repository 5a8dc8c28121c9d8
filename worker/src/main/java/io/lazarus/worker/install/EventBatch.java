package io.lazarus.worker.install;

import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.worker.install.EventPublisher.Pending;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Events of one routing key that go out as one message: a JSON array, in the order they came (one event goes alone,
 * as a JSON object: what a coordinator older than batching reads), of at most {@link
 * AttemptEvent#MAX_PER_MESSAGE} events and {@value #MAX_BYTES} bytes (the coordinator takes up to twice that). An event
 * larger than that alone (output is capped far below) still goes, alone.
 */
final class EventBatch {

    static final int MAX_BYTES = 1024 * 1024;

    private final List<Pending> events = new ArrayList<>();
    private final ByteArrayOutputStream json = new ByteArrayOutputStream();

    EventBatch(Pending first) {
        json.write('[');
        append(first, Contracts.toJson(first.event()));
    }

    /** False, and nothing added, when the batch is full. */
    boolean add(Pending next) {
        byte[] event = Contracts.toJson(next.event());
        if (events.size() == AttemptEvent.MAX_PER_MESSAGE || json.size() + 1 + event.length + 1 > MAX_BYTES) {
            return false;
        }
        json.write(',');
        append(next, event);
        return true;
    }

    private void append(Pending pending, byte[] event) {
        events.add(pending);
        json.writeBytes(event);
    }

    List<Pending> events() {
        return events;
    }

    AttemptEvent first() {
        return events.getFirst().event();
    }

    /** The array, or the event alone when it is the only one: as workers sent every event before batching. */
    byte[] json() {
        if (events.size() == 1) {
            return Arrays.copyOfRange(json.toByteArray(), 1, json.size());
        }
        byte[] body = Arrays.copyOf(json.toByteArray(), json.size() + 1);
        body[body.length - 1] = ']';
        return body;
    }

    /** The first event's own id (an attempt's output comes in many events, told apart by their first chunk). */
    String id() {
        AttemptEvent event = first();
        String id = event.attemptId() + "/" + event.type()
                + (event.type() == EventType.OUTPUT
                        ? "/" + event.output().getFirst().seq()
                        : "");
        return events.size() == 1 ? id : id + "+" + (events.size() - 1);
    }
}
