package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import io.lazarus.testkit.process.WorkerProcess;
import java.io.IOException;
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

    private double metric(String nameAndTag) throws IOException, InterruptedException {
        JsonNode body = Contracts.mapper().readTree(worker.get("/actuator/metrics/" + nameAndTag));
        for (JsonNode measurement : body.path("measurements")) {
            if ("VALUE".equals(measurement.path("statistic").asString())) {
                return measurement.path("value").asDouble();
            }
        }
        throw new IOException("no VALUE in /actuator/metrics/" + nameAndTag + ": " + body);
    }
}
