package io.lazarus.system;

import io.lazarus.testkit.RabbitBroker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code java -jar worker/target/lazarus-worker.jar}, configured through its environment like in production. */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private WorkerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static WorkerProcess start(RabbitBroker broker, Path identity, Path knownHosts, Map<String, String> settings)
            throws IOException, InterruptedException {
        int port = Processes.freePort();
        Path log = Processes.logs().resolve("worker-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-jar",
                Processes.jar("worker", "lazarus-worker.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPRING_RABBITMQ_ADDRESSES", broker.uri().toString());
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("LAZARUS_SSH_IDENTITY_FILE", identity.toString());
        env.put("LAZARUS_SSH_KNOWN_HOSTS", knownHosts.toString());
        env.putAll(settings);
        WorkerProcess worker = new WorkerProcess(builder.start(), port, log);
        worker.awaitReady(Duration.ofSeconds(60));
        return worker;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/actuator/health/readiness").contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("worker not ready within " + timeout + "; see " + log);
    }

    String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** The value of one Prometheus sample, e.g. {@code lazarus_worker_outcomes_total{...outcome="SUCCEEDED"}}. */
    double metric(String name, String labelFragment) throws IOException, InterruptedException {
        return get("/actuator/prometheus").lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(labelFragment))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " with " + labelFragment));
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
