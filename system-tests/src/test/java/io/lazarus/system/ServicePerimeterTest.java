package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Network;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.ServiceProcess;
import io.lazarus.testkit.tls.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The service's perimeter, attacked as issue 14 did: another {@code Host}, a cross-site form, no token, a token
 * without the scope; and its transport: TLS, actuator and the command line's plain {@code http://}.
 */
class ServicePerimeterTest {

    private static final String CI = "ci-token-0123456789abcdef";
    private static final String READER = "reader-token-0123456789abcdef";
    private static final String OPS = "ops-token-0123456789abcdef";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("quick-1", NodeBehavior.succeed())
                    .node("slow-1", NodeBehavior.install(Duration.ofSeconds(3), 4))
                    .node("slow-2", NodeBehavior.install(Duration.ofSeconds(3), 4))
                    .node("slow-3", NodeBehavior.install(Duration.ofSeconds(3), 4))
                    .node("slow-4", NodeBehavior.install(Duration.ofSeconds(3), 4)))
            .worker(Map.of());

    static ServiceProcess scoped;
    static ServiceProcess generated;
    static ServiceApi api;
    static int tlsPort;
    static Path tokenFile;
    static TestCa ca;

    @BeforeAll
    static void services() throws Exception {
        Map<String, String> tokens = new HashMap<>();
        tokens.putAll(token(0, "ci", CI, "read,submit"));
        tokens.putAll(token(1, "reader", READER, "read"));
        tokens.putAll(token(2, "ops", OPS, "read,operate"));
        scoped = system.startService(tokens);
        api = ServiceApi.at("http://127.0.0.1:" + scoped.port() + "/api/runs", READER);

        ca = TestCa.create(system.dir(), "service-ca");
        TestCa.ServerCertificate certificate = ca.issue("localhost", List.of("DNS:localhost", "IP:127.0.0.1"));
        tokenFile = system.file("home/.lazarus/service-token");
        generated = system.startService(Map.of(
                "LAZARUS_SERVICE_TOKEN_FILE", tokenFile.toString(),
                "SERVER_SSL_BUNDLE", "service",
                "SPRING_SSL_BUNDLE_PEM_SERVICE_KEYSTORE_CERTIFICATE",
                        certificate.certificate().toString(),
                "SPRING_SSL_BUNDLE_PEM_SERVICE_KEYSTORE_PRIVATEKEY",
                        certificate.key().toString()));
        tlsPort = generated.port();
    }

    @Test
    void aRequestForAnotherHostIsRefusedAndCreatesNoRun() throws Exception {
        int before = runs().size();
        String body = "{\"inventory\":\"" + line("quick-1") + "\",\"script\":\"true\"}";

        // what a page on attacker.example.com sends once its name resolves to 127.0.0.1: its own name as Host
        String response = raw(
                scoped.port(),
                "POST /api/runs HTTP/1.1\r\nHost: attacker.example.com:" + scoped.port()
                        + "\r\nAuthorization: Bearer " + CI + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(response)
                .startsWith("HTTP/1.1 421")
                .contains("application/problem+json", "attacker.example.com", "lazarus.service.allowed-hosts");
        assertThat(runs()).hasSize(before);
        assertThat(raw(
                        scoped.port(),
                        "GET /api/runs HTTP/1.1\r\nHost: localhost:" + scoped.port() + "\r\nAuthorization: Bearer "
                                + READER + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void aFormPostCannotCancelARunAndTheAuditLogNamesTheTokensThatActed() throws Exception {
        String inventory = String.join("\\n", List.of(line("slow-1"), line("slow-2"), line("slow-3"), line("slow-4")));
        HttpResponse<String> created =
                api.as(CI).post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\",\"maxInFlight\":1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();

        ServiceApi ops = api.as(OPS);
        HttpResponse<String> form = ops.send(ops.request("/" + runId + "/cancel")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("confirm=yes")));
        HttpResponse<String> plain = ops.send(ops.request("/" + runId + "/cancel")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        HttpResponse<String> byReader = cancel(runId, READER);
        JsonNode meanwhile = api.json("/" + runId);

        assertThat(form.statusCode()).as(form.body()).isEqualTo(415);
        assertThat(form.body()).contains("Content-Type: application/json");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(byReader.statusCode()).as(byReader.body()).isEqualTo(403);
        assertThat(byReader.body()).contains("'operate'");
        assertThat(meanwhile.get("state").asString()).isEqualTo("RUNNING");

        HttpResponse<String> cancelled = cancel(runId, OPS);
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(cancelled.body()).contains("\"cancelled\":true");
        assertThat(api.awaitEnd(runId).get("state").asString()).isEqualTo("CANCELLED");

        await("the audit lines")
                .atMost(Duration.ofSeconds(10))
                .until(() -> scoped.output().contains("/cancel -> 202"));
        String log = scoped.output();
        assertThat(log)
                .contains(
                        "token 'ci' from 127.0.0.1: POST /api/runs -> 201 /api/runs/" + runId,
                        "token 'ops' from 127.0.0.1: POST /api/runs/" + runId + "/cancel -> 202",
                        "(token 'ops'): 415",
                        "(token 'reader'): 403");
        assertThat(log).doesNotContain(CI, READER, OPS);
    }

    @Test
    void aReadOnlyTokenReadsButCannotCreateARun() throws Exception {
        int before = runs().size();

        HttpResponse<String> refused = api.post("", "{\"inventory\":\"" + line("quick-1") + "\",\"script\":\"true\"}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(Contracts.mapper().readTree(refused.body()).get("detail").asString())
                .contains("token 'reader'", "'submit'");
        assertThat(api.get("").statusCode()).isEqualTo(200);
        assertThat(runs()).hasSize(before);
        assertThat(api.as("not-a-token").get("").statusCode()).isEqualTo(401);
    }

    @Test
    void actuatorIsOnItsOwnLoopbackPortNotBesideTheApi() throws Exception {
        HttpResponse<String> beside = api.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scoped.port() + "/actuator/prometheus"))
                        .header("Authorization", "Bearer " + READER));
        HttpResponse<String> own = api.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + scoped.managementPort() + "/actuator/health/readiness")));

        assertThat(beside.statusCode()).isEqualTo(404);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        Optional<InetAddress> outside = Network.nonLoopbackAddress();
        if (outside.isPresent()) {
            assertThat(Network.listens(outside.get(), scoped.managementPort()))
                    .as("actuator on " + outside.get())
                    .isFalse();
        }
    }

    @Test
    void withoutAConfiguredTokenTheServiceMakesItsOwnInAnOwnerOnlyFileAndSaysWhereNeverWhat() throws Exception {
        String token = readToken();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())))
                .isEqualTo("rwx------");
        assertThat(token).matches("[A-Za-z0-9_-]{43,}");
        HttpClient client = trusting(ca);
        String base = "https://localhost:" + tlsPort + "/api/runs";
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(401);
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        // the web server answers from the context's start; the command prints its lines once the broker is reached
        await("the service's startup lines")
                .atMost(Duration.ofSeconds(15))
                .until(() -> generated.output().contains("in " + tokenFile));
        assertThat(generated.output())
                .contains("lazarus service on https://", "in " + tokenFile)
                .doesNotContain(token);
    }

    @Test
    void overTlsTheDashboardsSessionCookieIsSecure() throws Exception {
        HttpResponse<String> signIn = trusting(ca)
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/dashboard/sign-in"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(signIn.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(cookie -> assertThat(cookie)
                        .startsWith("LAZARUS_DASHBOARD=")
                        .contains("; Path=/dashboard", "; Secure", "; HttpOnly", "; SameSite=Strict"));
        await("the service's startup lines")
                .atMost(Duration.ofSeconds(15))
                .until(() -> generated.output().contains("dashboard on https://"));
    }

    @Test
    void overTlsAClientTrustingTheCaIsServedAndOneThatDoesNotIsRefused() throws Exception {
        String base = "https://localhost:" + tlsPort + "/api/runs";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Bearer " + readToken())
                .timeout(Duration.ofSeconds(10))
                .build();

        assertThat(trusting(ca)
                        .send(request, HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> api.http().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> trusting(TestCa.create(system.dir(), "another-ca"))
                        .send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(raw(tlsPort, "GET /api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .doesNotContain("HTTP/1.1 200");
    }

    @Test
    void runWithServerOverTlsTrustsTheCaItIsGivenAndTakesTheLocalServicesTokenFromItsFile() throws Exception {
        Path trustStore = system.file("service-ca.p12");
        try (var out = Files.newOutputStream(trustStore)) {
            trustStoreOf(ca).store(out, "changeit".toCharArray());
        }
        LazarusCli lazarus = system.cli().withEnvironment(Map.of("LAZARUS_SERVICE_TOKEN_FILE", tokenFile.toString()));
        String[] args = {
            "run",
            "--inventory",
            system.inventory("tls", "quick-1"),
            "--script",
            system.write("tls.sh", "true\n"),
            "--server",
            "https://localhost:" + tlsPort,
            "--wait"
        };

        LazarusCli.Result trusting = lazarus.withEnvironment(Map.of(
                        "JAVA_TOOL_OPTIONS",
                        "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=changeit"))
                .run(args);
        LazarusCli.Result notTrusting = lazarus.run(args);

        assertThat(trusting.exitCode()).as(trusting.toString()).isZero();
        assertThat(trusting.stdout()).contains("1/1 done (SUCCEEDED 1)");
        assertThat(notTrusting.exitCode()).as(notTrusting.toString()).isEqualTo(2);
        assertThat(notTrusting.stderr()).contains("cannot reach the service at https://localhost:" + tlsPort);
    }

    @Test
    void runWithServerRefusesPlainHttpToAnotherMachineBeforeConnecting() throws Exception {
        LazarusCli lazarus = system.cli().withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", CI));
        String inventory = system.inventory("remote", "quick-1");
        String script = system.write("remote.sh", "true\n");

        long started = System.nanoTime();
        LazarusCli.Result refused =
                lazarus.run("run", "--inventory", inventory, "--script", script, "--server", "http://10.1.2.3:8080");
        LazarusCli.Result local = lazarus.run(
                "run",
                "--inventory",
                inventory,
                "--script",
                script,
                "--server",
                "http://localhost:" + scoped.port(),
                "--wait");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr())
                .contains("http://10.1.2.3:8080", "plain http://", "--insecure")
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

    private static KeyStore trustStoreOf(TestCa authority) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(authority.certificate())) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return trust;
    }

    /** A client that trusts {@code authority}'s certificates and no other. */
    static HttpClient trusting(TestCa authority) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStoreOf(authority));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static String readToken() throws IOException {
        return Files.readString(tokenFile).strip();
    }

    /** Whatever the request text, sent as it is: the way to send a {@code Host} of one's choosing. */
    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }

    private static String line(String nodeId) {
        return system.fleet().node(nodeId).inventoryLine(LazarusSystem.USER);
    }

    private static HttpResponse<String> cancel(String runId, String token) throws Exception {
        ServiceApi as = api.as(token);
        return as.send(as.request("/" + runId + "/cancel")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode runs() throws Exception {
        HttpResponse<String> listed = api.get("");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return Contracts.mapper().readTree(listed.body());
    }
}
