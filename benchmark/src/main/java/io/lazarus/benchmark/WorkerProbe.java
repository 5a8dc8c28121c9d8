package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.testkit.process.WorkerProcess;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Reads one worker's memory from the kernel and its heap and in-flight gauge from its actuator. */
final class WorkerProbe {

    private final WorkerProcess worker;

    WorkerProbe(WorkerProcess worker) {
        this.worker = worker;
    }

    WorkerProcess worker() {
        return worker;
    }

    Sample sample(double seconds) throws IOException, InterruptedException {
        ProcStatus memory = ProcStatus.of(worker.pid());
        try {
            double heap = metric("jvm.memory.used?tag=area:heap");
            int inFlight = (int) metric("lazarus.worker.nodes.in.flight");
            return new Sample(seconds, memory, heap, inFlight);
        } catch (IOException | RuntimeException noAnswer) {
            // a worker too busy to answer within the HTTP timeout is itself a finding: the sample says so
            return new Sample(seconds, memory, Double.NaN, -1);
        }
    }

    /** The key of {@link #eventsPublished}'s count of messages: the events go out several to a message. */
    static final String MESSAGES = "messages";

    /** The attempt events the worker has published so far, by type, and under {@link #MESSAGES} the messages. */
    Map<String, Long> eventsPublished() throws IOException, InterruptedException {
        Map<String, Long> events = new TreeMap<>();
        for (EventType type : EventType.values()) {
            events.put(type.name(), (long) metric("lazarus.worker.events.published?tag=type:" + type.name(), "COUNT"));
        }
        events.put(MESSAGES, (long) metric("lazarus.worker.events.messages", "COUNT"));
        return events;
    }

    private double metric(String nameAndTag) throws IOException, InterruptedException {
        return metric(nameAndTag, "VALUE");
    }

    private double metric(String nameAndTag, String statistic) throws IOException, InterruptedException {
        JsonNode body = Contracts.mapper().readTree(worker.get("/actuator/metrics/" + nameAndTag));
        for (JsonNode measurement : body.path("measurements")) {
            if (statistic.equals(measurement.path("statistic").asString())) {
                return measurement.path("value").asDouble();
            }
        }
        throw new IOException("no " + statistic + " in /actuator/metrics/" + nameAndTag + ": " + body);
    }
}
