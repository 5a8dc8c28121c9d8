package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.tls.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's perimeter, attacked as issue 14 did: another {@code Host}, a cross-site form, no token, a token
 * without the scope; and its transport: TLS, actuator and the command line's plain {@code http://}.
 */
class ServicePerimeterTest {

    private static final String CI = "ci-token-0123456789abcdef";
    private static final String READER = "reader-token-0123456789abcdef";
    private static final String OPS = "ops-token-0123456789abcdef";

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static Process scoped;
    static Process generated;
    static Path scopedLog;
    static Path generatedLog;
    static int scopedPort;
    static int managementPort;
    static int tlsPort;
    static Path tokenFile;
    static TestCa ca;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void system() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("quick-1", NodeBehavior.succeed())
                .node("slow-1", NodeBehavior.install(Duration.ofSeconds(3), 4))
                .node("slow-2", NodeBehavior.install(Duration.ofSeconds(3), 4))
                .node("slow-3", NodeBehavior.install(Duration.ofSeconds(3), 4))
                .node("slow-4", NodeBehavior.install(Duration.ofSeconds(3), 4))
                .start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), Map.of(), List.of(),
                Processes.logs("system-tests"));

        scopedPort = Processes.freePort();
        managementPort = Processes.freePort();
        Map<String, String> tokens = new HashMap<>(Map.of("SERVER_PORT", Integer.toString(scopedPort),
                "MANAGEMENT_SERVER_PORT", Integer.toString(managementPort)));
        tokens.putAll(token(0, "ci", CI, "read,submit"));
        tokens.putAll(token(1, "reader", READER, "read"));
        tokens.putAll(token(2, "ops", OPS, "read,operate"));
        scopedLog = dir.resolve("scoped-service.log");
        scoped = serve(broker, tokens, scopedLog);

        ca = TestCa.create(dir, "service-ca");
        TestCa.ServerCertificate certificate = ca.issue("localhost", List.of("DNS:localhost", "IP:127.0.0.1"));
        tlsPort = Processes.freePort();
        tokenFile = dir.resolve("home/.lazarus/service-token");
        generatedLog = dir.resolve("generated-service.log");
        generated = serve(broker, Map.of("SERVER_PORT", Integer.toString(tlsPort),
                "MANAGEMENT_SERVER_PORT", Integer.toString(Processes.freePort()),
                "LAZARUS_SERVICE_TOKEN_FILE", tokenFile.toString(),
                "SERVER_SSL_BUNDLE", "service",
                "SPRING_SSL_BUNDLE_PEM_SERVICE_KEYSTORE_CERTIFICATE", certificate.certificate().toString(),
                "SPRING_SSL_BUNDLE_PEM_SERVICE_KEYSTORE_PRIVATEKEY", certificate.key().toString()), generatedLog);

        awaitUp(scoped, scopedLog, http, "http://127.0.0.1:" + scopedPort, () -> READER);
        awaitUp(generated, generatedLog, trusting(ca), "https://localhost:" + tlsPort,
                () -> Files.exists(tokenFile) ? readToken() : "none yet");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process service : new Process[] {scoped, generated}) {
            if (service != null) {
                service.destroy();
                service.waitFor(30, TimeUnit.SECONDS);
            }
        }
        SystemTests.stop(worker, fleet);
    }

    @Test
    void aRequestForAnotherHostIsRefusedAndCreatesNoRun() throws Exception {
        int before = runs().size();
        String body = "{\"inventory\":\"" + line("quick-1") + "\",\"script\":\"true\"}";

        // what a page on attacker.example.com sends once its name resolves to 127.0.0.1: its own name as Host
        String response = raw(scopedPort, "POST /api/runs HTTP/1.1\r\nHost: attacker.example.com:" + scopedPort
                + "\r\nAuthorization: Bearer " + CI + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(response).startsWith("HTTP/1.1 421").contains("application/problem+json", "attacker.example.com",
                "lazarus.service.allowed-hosts");
        assertThat(runs()).hasSize(before);
        assertThat(raw(scopedPort, "GET /api/runs HTTP/1.1\r\nHost: localhost:" + scopedPort + "\r\nAuthorization: Bearer "
                + READER + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aFormPostCannotCancelARunAndTheAuditLogNamesTheTokensThatActed() throws Exception {
        String inventory = String.join("\\n", List.of(line("slow-1"), line("slow-2"), line("slow-3"), line("slow-4")));
        HttpResponse<String> created = send(HttpRequest.newBuilder(api("")).header("Authorization", "Bearer " + CI)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inventory\":\"" + inventory + "\",\"script\":\"true\",\"maxInFlight\":1}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();

        HttpResponse<String> form = send(HttpRequest.newBuilder(api("/" + runId + "/cancel"))
                .header("Authorization", "Bearer " + OPS).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")));
        HttpResponse<String> plain = send(HttpRequest.newBuilder(api("/" + runId + "/cancel"))
                .header("Authorization", "Bearer " + OPS).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        HttpResponse<String> byReader = cancel(runId, READER);
        JsonNode meanwhile = Contracts.mapper().readTree(get("/" + runId, READER).body());

        assertThat(form.statusCode()).as(form.body()).isEqualTo(415);
        assertThat(form.body()).contains("Content-Type: application/json");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(byReader.statusCode()).as(byReader.body()).isEqualTo(403);
        assertThat(byReader.body()).contains("'operate'");
        assertThat(meanwhile.get("state").asString()).isEqualTo("RUNNING");

        HttpResponse<String> cancelled = cancel(runId, OPS);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(cancelled.body()).contains("\"cancelled\":true");
        assertThat(awaitEnd(runId).get("state").asString()).isEqualTo("CANCELLED");

        SystemTests.awaitTrue("the audit lines", () -> log(scopedLog).contains("/cancel -> 202"), Duration.ofSeconds(10));
        String log = log(scopedLog);
        assertThat(log).contains("token 'ci' from 127.0.0.1: POST /api/runs -> 201 /api/runs/" + runId,
                "token 'ops' from 127.0.0.1: POST /api/runs/" + runId + "/cancel -> 202",
                "(token 'ops'): 415", "(token 'reader'): 403");
        assertThat(log).doesNotContain(CI, READER, OPS);
    }

    @Test
    void aReadOnlyTokenReadsButCannotCreateARun() throws Exception {
        int before = runs().size();

        HttpResponse<String> refused = send(HttpRequest.newBuilder(api("")).header("Authorization", "Bearer " + READER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inventory\":\"" + line("quick-1") + "\",\"script\":\"true\"}")));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(Contracts.mapper().readTree(refused.body()).get("detail").asString())
                .contains("token 'reader'", "'submit'");
        assertThat(get("", READER).statusCode()).isEqualTo(200);
        assertThat(runs()).hasSize(before);
        assertThat(get("", "not-a-token").statusCode()).isEqualTo(401);
    }

    @Test
    void actuatorIsOnItsOwnLoopbackPortNotBesideTheApi() throws Exception {
        HttpResponse<String> beside = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + scopedPort + "/actuator/prometheus")).header("Authorization", "Bearer " + READER));
        HttpResponse<String> own = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")));

        assertThat(beside.statusCode()).isEqualTo(404);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        Optional<InetAddress> outside = SystemTests.nonLoopbackAddress();
        if (outside.isPresent()) {
            assertThat(SystemTests.listens(outside.get(), managementPort)).as("actuator on " + outside.get()).isFalse();
        }
    }

    @Test
    void withoutAConfiguredTokenTheServiceMakesItsOwnInAnOwnerOnlyFileAndSaysWhereNeverWhat() throws Exception {
        String token = readToken();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent()))).isEqualTo("rwx------");
        assertThat(token).matches("[A-Za-z0-9_-]{43,}");
        HttpClient client = trusting(ca);
        String base = "https://localhost:" + tlsPort + "/api/runs";
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // the web server answers from the context's start; the command prints its lines once the broker is reached
        assertThat(logOnceItSays(generatedLog, "in " + tokenFile)).contains("lazarus service on https://", "in " + tokenFile)
                .doesNotContain(token);
    }

    private static String logOnceItSays(Path file, String text) throws InterruptedException {
        for (int i = 0; i < 150 && !log(file).contains(text); i++) {
            Thread.sleep(100);
        }
        return log(file);
    }

    @Test
    void overTlsAClientTrustingTheCaIsServedAndOneThatDoesNotIsRefused() throws Exception {
        String base = "https://localhost:" + tlsPort + "/api/runs";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer " + readToken())
                .timeout(Duration.ofSeconds(10)).build();

        assertThat(trusting(ca).send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThatThrownBy(() -> trusting(TestCa.create(dir, "another-ca")).send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(raw(tlsPort, "GET /api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .doesNotContain("HTTP/1.1 200");
    }

    @Test
    void runWithServerOverTlsTrustsTheCaItIsGivenAndTakesTheLocalServicesTokenFromItsFile() throws Exception {
        Path trustStore = dir.resolve("service-ca.p12");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.certificate())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (var out = Files.newOutputStream(trustStore)) {
            trust.store(out, "changeit".toCharArray());
        }
        Path inventory = Files.write(dir.resolve("tls.inventory"), List.of(line("quick-1")));
        Path script = Files.writeString(dir.resolve("tls.sh"), "true\n");
        LazarusCli lazarus = new LazarusCli(RabbitBroker.shared()).withEnvironment(Map.of(
                "LAZARUS_SERVICE_TOKEN_FILE", tokenFile.toString()));
        String[] args = {"run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--server", "https://localhost:" + tlsPort, "--wait"};

        LazarusCli.Result trusting = lazarus.withEnvironment(Map.of("JAVA_TOOL_OPTIONS",
                "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=changeit")).run(args);
        LazarusCli.Result notTrusting = lazarus.run(args);

        assertThat(trusting.exitCode()).as(trusting.toString()).isZero();
        assertThat(trusting.stdout()).contains("1/1 done (SUCCEEDED 1)");
        assertThat(notTrusting.exitCode()).as(notTrusting.toString()).isEqualTo(2);
        assertThat(notTrusting.stderr()).contains("cannot reach the service at https://localhost:" + tlsPort);
    }

    @Test
    void runWithServerRefusesPlainHttpToAnotherMachineBeforeConnecting() throws Exception {
        LazarusCli lazarus = new LazarusCli(RabbitBroker.shared()).withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", CI));
        Path inventory = Files.write(dir.resolve("remote.inventory"), List.of(line("quick-1")));
        Path script = Files.writeString(dir.resolve("remote.sh"), "true\n");

        long started = System.nanoTime();
        LazarusCli.Result refused = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--server", "http://10.1.2.3:8080");
        LazarusCli.Result local = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--server", "http://localhost:" + scopedPort, "--wait");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr()).contains("http://10.1.2.3:8080", "plain http://", "--insecure")
                .doesNotContain("cannot reach", CI);
        // a connection to 10.1.2.3 would have waited out the 10 s connect timeout
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        assertThat(local.stdout()).contains("1/1 done (SUCCEEDED 1)");
    }

    private static Map<String, String> token(int index, String name, String value, String scopes) {
        String prefix = "LAZARUS_SERVICE_TOKENS_" + index + "_";
        return Map.of(prefix + "NAME", name, prefix + "VALUE", value, prefix + "SCOPES", scopes);
    }

    private static Process serve(RabbitBroker broker, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-jar",
                Processes.jar("coordinator", "lazarus-coordinator.jar").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPRING_RABBITMQ_ADDRESSES", broker.uri().toString());
        builder.environment().put("LAZARUS_REGISTRY_DIRECTORY", Files.createTempDirectory(dir, "registry").toString());
        builder.environment().put("LAZARUS_TRUST_WORKER_USERS", broker.uri().getUserInfo().split(":")[0]);
        builder.environment().put("LAZARUS_BROKER_CREDENTIALS_DIRECTORY", Processes.noCredentials().toString());
        builder.environment().remove("LAZARUS_SERVICE_API_TOKEN");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A client that trusts {@code ca}'s certificates and no other. */
    static HttpClient trusting(TestCa ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.certificate())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String readToken() {
        try {
            return Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whatever the request text, sent as it is: the way to send a {@code Host} of one's choosing. */
    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }

    private static String line(String nodeId) {
        return fleet.node(nodeId).inventoryLine("deploy");
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + scopedPort + "/api/runs" + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token));
    }

    private static HttpResponse<String> cancel(String runId, String token) throws Exception {
        return send(HttpRequest.newBuilder(api("/" + runId + "/cancel")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode runs() throws Exception {
        HttpResponse<String> listed = get("", READER);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return Contracts.mapper().readTree(listed.body());
    }

    private static JsonNode awaitEnd(String runId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            JsonNode run = Contracts.mapper().readTree(get("/" + runId, READER).body());
            if (!run.get("finishedAt").isNull()) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitUp(Process process, Path log, HttpClient client, String base,
            java.util.function.Supplier<String> token) throws Exception {
        // a ceiling for a loaded machine (two services start at once); left as soon as the service answers
        long until = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + log(log));
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/none"))
                        .header("Authorization", "Bearer " + token.get()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 404) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service at " + base + " did not answer within 180 s:\n" + log(log));
    }
}
