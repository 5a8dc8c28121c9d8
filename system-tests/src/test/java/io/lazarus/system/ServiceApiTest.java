package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lazarus-coordinator.jar serve} as a process: its API with a token, every kind of bad input, a run to its end. */
class ServiceApiTest {

    private static final String TOKEN = "test-token-0123456789";

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static Process service;
    static String base;
    static int managementPort;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void system() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("api-ok-1", NodeBehavior.succeed()).node("api-ok-2", NodeBehavior.succeed())
                .node("api-apt", NodeBehavior.aptFailure())
                .node("api-secret", NodeBehavior.succeed())
                .nodes(3, NodeBehavior.install(Duration.ofSeconds(2), 4))
                .node("restart-1", NodeBehavior.install(Duration.ofSeconds(2), 4))
                .node("restart-2", NodeBehavior.install(Duration.ofSeconds(2), 4))
                .node("restart-3", NodeBehavior.install(Duration.ofSeconds(2), 4))
                .start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"),
                Map.of("LAZARUS_WORKER_PREFETCH", "50"), List.of(), Processes.logs("system-tests"));
        int port = Processes.freePort();
        managementPort = Processes.freePort();
        service = serve(broker, Map.of("SERVER_PORT", Integer.toString(port), "LAZARUS_SERVICE_API_TOKEN", TOKEN,
                        "MANAGEMENT_SERVER_PORT", Integer.toString(managementPort)),
                Processes.logs("system-tests").resolve("service-" + port + ".log"));
        base = "http://127.0.0.1:" + port + "/api/runs";
        awaitUp(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        SystemTests.stop(worker, fleet);
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base + "/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/x"))
                .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"status\":401");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            no inventory            | {"script":"true"}                                                 | inventory
            no script               | {"inventory":"web-1"}                                             | script
            bad inventory line      | {"inventory":"web-1:abc","script":"true"}                         | inventory
            empty inventory         | {"inventory":"# nothing","script":"true"}                         | inventory
            ansible secret          | {"inventory":"[web]\\nweb-1 ansible_password=x","script":"true"}   | inventory
            limit matching nothing  | {"inventory":"web-1","script":"true","limit":"db*"}               | limit
            bad port                | {"inventory":"web-1","script":"true","port":70000}                | port
            bad deadline            | {"inventory":"web-1","script":"true","deadline":"soon"}           | deadline
            negative stall timeout  | {"inventory":"web-1","script":"true","stallTimeout":"-5s"}        | stallTimeout
            negative stall retries  | {"inventory":"web-1","script":"true","stallRetries":-1}           | stallRetries
            zero command attempts   | {"inventory":"web-1","script":"true","commandAttempts":0}         | commandAttempts
            bad failure budget      | {"inventory":"web-1","script":"true","maxFailures":"101%"}        | maxFailures
            zero in flight          | {"inventory":"web-1","script":"true","maxInFlight":0}             | maxInFlight
            bad secret name         | {"inventory":"web-1","script":"true","secrets":["db-password"]}   | secrets
            not json                | {inventory                                                        | body
            wrong type              | {"inventory":"web-1","script":"true","port":"twenty-two"}         | body
            unknown field dryRun    | {"inventory":"web-1","script":"true","dryRun":true}               | dryRun
            misspelt maxFailures    | {"inventory":"web-1","script":"true","maxFailure":"5%"}           | maxFailure
            misspelt canary         | {"inventory":"web-1","script":"true","canaries":2}                | canaries
            """)
    void badInputIsA400NamingTheField(String what, String body, String field) throws Exception {
        HttpResponse<String> response = post(base, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Contracts.mapper().readTree(response.body());
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Test
    void theRunsAreListedNewestFirst() throws Exception {
        String first = create("{\"inventory\":\"" + line("api-ok-1") + "\",\"script\":\"true\"}");
        String second = create("{\"inventory\":\"" + line("api-ok-2") + "\",\"script\":\"true\"}");

        HttpResponse<String> listed = get(base);
        HttpResponse<String> one = get(base + "?limit=1");

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        Contracts.mapper().readTree(listed.body()).forEach(run -> ids.add(run.get("runId").asString()));
        assertThat(ids).contains(first, second);
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
        assertThat(Contracts.mapper().readTree(one.body()).size()).isEqualTo(1);
        assertThat(get(base + "?limit=0").statusCode()).isEqualTo(400);
        awaitEnd(first);
        awaitEnd(second);
    }

    @Test
    void unknownRunsNodesAndStatesAreRefused() throws Exception {
        assertThat(get(base + "/20991231-000000-000000").statusCode()).isEqualTo(404);
        String runId = create("{\"inventory\":\"" + line("api-ok-1") + "\",\"script\":\"true\"}");
        assertThat(get(base + "/" + runId + "/nodes/no-such-node/attempts").statusCode()).isEqualTo(404);
        HttpResponse<String> badState = get(base + "/" + runId + "/nodes?state=HAPPY");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("\"field\":\"state\"");
        awaitEnd(runId);
    }

    @Test
    void aRunCreatedThroughTheApiIsFollowedToItsEndAndInspectable() throws Exception {
        String inventory = line("api-ok-2") + "\\n" + line("api-apt");
        String runId = create("{\"inventory\":\"" + inventory + "\",\"script\":\"apt-get install -y tomcat9\"}");

        HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/" + runId + "/events"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode run = Contracts.mapper().readTree(get(base + "/" + runId).body());
        JsonNode failed = Contracts.mapper().readTree(get(base + "/" + runId + "/nodes?state=FAILED").body());
        JsonNode attempts = Contracts.mapper().readTree(get(base + "/" + runId + "/nodes/api-apt/attempts").body());
        JsonNode report = Contracts.mapper().readTree(get(base + "/" + runId + "/report").body());

        assertThat(events.body()).contains("event:progress", "event:end");
        assertThat(run.get("state").asString()).isEqualTo("FINISHED");
        assertThat(run.get("states").toString()).isEqualTo("{\"SUCCEEDED\":1,\"FAILED\":1}");
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("nodeId").asString()).isEqualTo("api-apt");
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("COMMAND_FAILED");
        assertThat(attempts.get(0).get("result").get("stderrTail").asString()).contains("Unable to locate package");
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1,\"COMMAND_FAILED\":1}");
        String metrics = get("http://127.0.0.1:" + managementPort + "/actuator/prometheus").body();
        assertThat(metrics).containsPattern("lazarus_coordinator_event_ingest_lag_seconds_count\\{[^}]*} [1-9]");
        assertThat(metrics).containsPattern("lazarus_coordinator_runs\\{application=\"lazarus-coordinator\",state=\"FINISHED\"} [1-9]");
    }

    @Test
    void aRunNamingASecretTheWorkersLackIsRejectedWithItsNameAndRunsNothing() throws Exception {
        String runId = create("{\"inventory\":\"" + line("api-secret") + "\",\"script\":\"true\","
                + "\"secrets\":[\"NOT_HELD_BY_WORKERS\"]}");

        awaitEnd(runId);
        JsonNode attempts = Contracts.mapper().readTree(get(base + "/" + runId + "/nodes/api-secret/attempts").body());

        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(attempts.get(0).get("result").get("reason").asString()).contains("no secret NOT_HELD_BY_WORKERS");
        assertThat(fleet.node("api-secret").executions()).as("nothing ran").isEmpty();
    }

    @Test
    void aCancelledRunReleasesNoMoreNodes() throws Exception {
        List<String> slow = fleet.nodes().stream().filter(n -> n.id().startsWith("node-")).map(n -> line(n.id())).toList();
        String runId = create("{\"inventory\":\"" + String.join("\\n", slow) + "\",\"script\":\"true\",\"maxInFlight\":1}");

        HttpResponse<String> cancelled = post(base + "/" + runId + "/cancel", "");
        JsonNode run = awaitEnd(runId);

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(cancelled.body()).contains("\"cancelled\":true");
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
        long ran = fleet.nodes().stream().filter(n -> n.id().startsWith("node-") && !n.executions().isEmpty()).count();
        assertThat(ran).isLessThan(3);
    }

    @Test
    void runWithServerHandsTheRunToTheServiceAndWaitsForItsReport() throws Exception {
        LazarusCli lazarus = new LazarusCli(RabbitBroker.shared()).withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        Path inventory = Files.write(dir.resolve("server.inventory"), List.of(line("api-ok-1"), line("api-apt")));
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat9\n");
        Path json = dir.resolve("server.json");
        String server = base.substring(0, base.indexOf("/api/"));

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory.toString(), "--script", script.toString(),
                "--server", server, "--wait", "--json", json.toString(), "--progress-interval", "500ms");
        LazarusCli.Result refused = new LazarusCli(RabbitBroker.shared()).run("run", "--inventory", inventory.toString(),
                "--script", script.toString(), "--server", server);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout()).contains("handed 2 node(s) to " + server)
                .containsPattern("\\[\\d\\d:\\d\\d\\] 2/2 done \\((SUCCEEDED 1, FAILED 1|FAILED 1, SUCCEEDED 1)\\)")
                .doesNotContain("{\"");
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("runId").asString()).isEqualTo(result.runId());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1,\"COMMAND_FAILED\":1}");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("the service answered 401");
    }

    @Test
    void aServiceKilledMidRunIsStartedAgainAndFinishesTheRunWithEveryNodeOnce() throws Exception {
        Map<String, String> env = Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN,
                "LAZARUS_REGISTRY_DIRECTORY", Files.createTempDirectory(dir, "shared-registry").toString());
        List<String> nodes = List.of("restart-1", "restart-2", "restart-3");
        int port = Processes.freePort();
        String api = "http://127.0.0.1:" + port + "/api/runs";
        Map<String, String> withPort = new java.util.HashMap<>(env);
        withPort.put("SERVER_PORT", Integer.toString(port));
        Process first = serve(RabbitBroker.shared(), withPort, dir.resolve("first-service.log"));
        awaitUp(first, api, Duration.ofSeconds(60));
        HttpResponse<String> created = post(api, "{\"inventory\":\"" + String.join("\\n",
                nodes.stream().map(ServiceApiTest::line).toList()) + "\",\"script\":\"true\",\"maxInFlight\":1}");
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fleet.node("restart-1").executions().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor();

        Process second = serve(RabbitBroker.shared(), withPort, dir.resolve("second-service.log"));
        try {
            awaitUp(second, api, Duration.ofSeconds(60));
            JsonNode run = awaitEnd(api, runId);

            assertThat(run.get("states").toString()).isEqualTo("{\"SUCCEEDED\":3}");
            assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
            assertThat(nodes).allSatisfy(id -> assertThat(fleet.node(id).executions()).as(id).hasSize(1));
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process serve(RabbitBroker broker, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Processes.java(), "-jar",
                Processes.jar("coordinator", "lazarus-coordinator.jar").toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPRING_RABBITMQ_ADDRESSES", broker.uri().toString());
        builder.environment().put("LAZARUS_REGISTRY_DIRECTORY", Files.createTempDirectory(dir, "registry").toString());
        // the tests' workers log in as the tests' broker user; no role credentials from this machine's ~/.lazarus
        builder.environment().put("LAZARUS_TRUST_WORKER_USERS", broker.uri().getUserInfo().split(":")[0]);
        builder.environment().put("LAZARUS_BROKER_CREDENTIALS_DIRECTORY", Processes.noCredentials().toString());
        // /actuator on a port of its own (8081 by default): a free one, so that services of parallel tests never meet
        builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(Processes.freePort()));
        builder.environment().put("LAZARUS_SERVICE_TOKEN_FILE", dir.resolve("service-token").toString());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String line(String nodeId) {
        return fleet.node(nodeId).inventoryLine("deploy");
    }

    private static String create(String body) throws Exception {
        HttpResponse<String> response = post(base, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(response.body()).get("runId").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/runs/" + runId);
        return runId;
    }

    private static JsonNode awaitEnd(String runId) throws Exception {
        return awaitEnd(base, runId);
    }

    private static JsonNode awaitEnd(String api, String runId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            JsonNode run = Contracts.mapper().readTree(get(api + "/" + runId).body());
            if (!run.get("finishedAt").isNull()) {
                return run;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitUp(Duration timeout) throws Exception {
        awaitUp(service, base, timeout);
    }

    private static void awaitUp(Process process, String api, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue());
            }
            try {
                if (get(api + "/none").statusCode() == 404) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not answer within " + timeout);
    }
}
