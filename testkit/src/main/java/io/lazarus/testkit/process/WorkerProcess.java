package io.lazarus.testkit.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code java -jar worker/target/lazarus-worker.jar} (its unpacked copy with the AOT cache the build trained, where
 * there is one), configured through its environment like in production.
 */
public final class WorkerProcess implements AutoCloseable {

    /**
     * What the README and the worker image run the worker with, and the build trains its AOT cache with: a worker
     * started with them starts from the cache; with other options (the JVM's defaults among them) without it.
     */
    public static final List<String> RECOMMENDED_JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders", "-XX:TieredStopAtLevel=1");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private WorkerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a worker and returns once it is ready.
     *
     * @param broker       {@code amqp://user:pass@host:port[/vhost]}, or several of them separated by commas
     * @param settings     more environment, e.g. {@code LAZARUS_WORKER_PREFETCH}
     * @param jvmOptions   put before {@code -jar}, e.g. {@code -Xmx256m} or {@link #RECOMMENDED_JVM_OPTIONS}
     * @param logDirectory where {@code worker-<port>.log} is written
     */
    public static WorkerProcess start(
            String broker,
            Path identity,
            Path knownHosts,
            Map<String, String> settings,
            List<String> jvmOptions,
            Path logDirectory)
            throws IOException, InterruptedException {
        int port = Processes.freePort();
        Path log = logDirectory.resolve("worker-" + port + ".log");
        List<String> command = new ArrayList<>();
        command.add(Processes.java());
        command.addAll(jvmOptions);
        command.addAll(Processes.jarArguments(Processes.jar("worker", "lazarus-worker.jar"), "worker"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SPRING_RABBITMQ_ADDRESSES", broker);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("LAZARUS_SSH_IDENTITY_FILE", identity.toString());
        env.put("LAZARUS_SSH_KNOWN_HOSTS", knownHosts.toString());
        // never the role credentials lazarus broker setup left in this machine's ~/.lazarus/broker
        env.put(
                "LAZARUS_BROKER_CREDENTIALS_DIRECTORY",
                Processes.noCredentials().toString());
        env.putAll(settings);
        WorkerProcess worker = new WorkerProcess(builder.start(), port, log);
        try {
            worker.awaitReady(Duration.ofSeconds(60));
            return worker;
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) {
        Awaitility.await("worker ready; see " + log)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("worker exited with " + process.exitValue() + "; see " + log);
                    }
                    return get("/actuator/health/readiness").contains("\"UP\"");
                });
    }

    public String get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The value of one Prometheus sample, e.g. {@code lazarus_worker_outcomes_total{...outcome="SUCCEEDED"}}. */
    public double metric(String name, String labelFragment) throws IOException, InterruptedException {
        return get("/actuator/prometheus")
                .lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(labelFragment))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " with " + labelFragment));
    }

    /** {@code kill -9}: the worker dies with whatever it holds; the broker takes its unacknowledged messages back. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Sends SIGTERM, as docker and Kubernetes stop a worker, and returns its exit code once it has exited; fails (and
     * kills it) if it is still running after {@code timeout}.
     */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("worker still running " + timeout + " after SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        http.close();
    }
}
