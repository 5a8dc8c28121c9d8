package io.lazarus.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code java -jar coordinator/target/lazarus-coordinator.jar serve} (its unpacked copy with the AOT cache the build
 * trained, as {@code ./lazarus serve} runs it): the service as a process, with a registry, an API port and an actuator
 * port of its own unless the settings name them.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ServiceProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts a service and returns once it serves.
     *
     * @param settings   more environment, e.g. {@code LAZARUS_SERVICE_API_TOKEN}; {@code SERVER_PORT},
     *                   {@code MANAGEMENT_SERVER_PORT} and {@code LAZARUS_REGISTRY_DIRECTORY} among them are kept
     * @param jvmOptions put before {@code -jar}, e.g. {@code -Xmx160m}
     * @param log        where its output is written
     */
    public static ServiceProcess start(URI broker, Map<String, String> settings, List<String> jvmOptions, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Processes.java()));
        command.addAll(jvmOptions);
        command.addAll(Processes.jarArguments(Processes.jar("coordinator", "lazarus-coordinator.jar"), "lazarus"));
        command.add("serve");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove("LAZARUS_SERVICE_API_TOKEN");
        env.put("SPRING_RABBITMQ_ADDRESSES", broker.toString());
        env.put(
                "LAZARUS_REGISTRY_DIRECTORY",
                Files.createTempDirectory("lazarus-service-registry").toString());
        // the tests' workers log in as the tests' broker user; no role credentials from this machine's ~/.lazarus
        env.put("LAZARUS_TRUST_WORKER_USERS", broker.getUserInfo().split(":")[0]);
        env.put(
                "LAZARUS_BROKER_CREDENTIALS_DIRECTORY",
                Processes.noCredentials().toString());
        env.put(
                "LAZARUS_SERVICE_TOKEN_FILE",
                Files.createTempDirectory("lazarus-service").resolve("token").toString());
        env.put("SERVER_PORT", Integer.toString(Processes.freePort()));
        // /actuator on a port of its own (8081 by default): a free one, so that services of parallel tests never meet
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(Processes.freePort()));
        env.putAll(settings);
        ServiceProcess service = new ServiceProcess(
                builder.start(),
                Integer.parseInt(env.get("SERVER_PORT")),
                Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT")),
                log);
        try {
            service.awaitServing(Duration.ofSeconds(180));
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /**
     * Until {@code serve} says where it serves, which it does once the broker is reached and the web server answers:
     * a sign that needs neither a token nor the service's TLS trust (its actuator port is TLS too when its API is).
     */
    private void awaitServing(Duration timeout) {
        // a ceiling for a loaded machine, left as soon as the service serves
        Awaitility.await("the service on port " + port + " serving; see " + log)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "the service exited with " + process.exitValue() + ":\n" + output());
                    }
                    return output().contains("lazarus service on ");
                });
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path log() {
        return log;
    }

    /** What the service's {@code /actuator/prometheus} serves now, on its management port. */
    public String metrics() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    /** What the service has printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: the service dies in the middle of whatever it does. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
