package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.coordinator.report.JUnitReportWriter;
import io.lazarus.coordinator.report.JsonReportWriter;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.coordinator.report.SummaryPrinter;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** {@code lazarus-coordinator.jar serve} as a process: its API with a token, every kind of bad input, a run to its end. */
class ServiceApiTest {

    private static final String TOKEN = "test-token-0123456789";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("api-ok-1", NodeBehavior.succeed())
                    .node("api-ok-2", NodeBehavior.succeed())
                    .node("api-apt", NodeBehavior.aptFailure())
                    .node("api-secret", NodeBehavior.succeed())
                    .nodes(3, NodeBehavior.install(Duration.ofSeconds(2), 4))
                    .node("restart-1", NodeBehavior.install(Duration.ofSeconds(2), 4))
                    .node("restart-2", NodeBehavior.install(Duration.ofSeconds(2), 4))
                    .node("restart-3", NodeBehavior.install(Duration.ofSeconds(2), 4))
                    .node("api-wait", NodeBehavior.install(Duration.ofSeconds(2), 4)))
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "50"));

    static ServiceProcess service;
    static ServiceApi api;

    @BeforeAll
    static void service() throws Exception {
        service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        api = ServiceApi.at(runs(service), TOKEN);
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        HttpResponse<String> none = api.http()
                .send(
                        HttpRequest.newBuilder(URI.create(api.base() + "/x")).build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = api.as("nope").get("/x");

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
            upload not in the store | {"inventory":"web-1","script":"true","uploads":[{"sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"remotePath":"/tmp/x"}]} | uploads
            upload path not normal  | {"inventory":"web-1","script":"true","uploads":[{"sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":1,"remotePath":"/tmp/../x"}]} | body
            not json                | {inventory                                                        | body
            wrong type              | {"inventory":"web-1","script":"true","port":"twenty-two"}         | body
            unknown field dryRun    | {"inventory":"web-1","script":"true","dryRun":true}               | dryRun
            misspelt maxFailures    | {"inventory":"web-1","script":"true","maxFailure":"5%"}           | maxFailure
            misspelt canary         | {"inventory":"web-1","script":"true","canaries":2}                | canaries
            """)
    void badInputIsA400NamingTheField(String what, String body, String field) throws Exception {
        HttpResponse<String> response = api.post("", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Contracts.mapper().readTree(response.body());
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    @Test
    void theRunsAreListedNewestFirst() throws Exception {
        String first = create("{\"inventory\":\"" + line("api-ok-1") + "\",\"script\":\"true\"}");
        String second = create("{\"inventory\":\"" + line("api-ok-2") + "\",\"script\":\"true\"}");

        HttpResponse<String> listed = api.get("");
        HttpResponse<String> one = api.get("?limit=1");

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        Contracts.mapper()
                .readTree(listed.body())
                .forEach(run -> ids.add(run.get("runId").asString()));
        assertThat(ids).contains(first, second);
        assertThat(ids.indexOf(second)).isLessThan(ids.indexOf(first));
        assertThat(Contracts.mapper().readTree(one.body()).size()).isEqualTo(1);
        assertThat(api.get("?limit=0").statusCode()).isEqualTo(400);
        api.awaitEnd(first);
        api.awaitEnd(second);
    }

    @Test
    void aPreviewListsTheNodesInReleaseOrderAndStartsNothing() throws Exception {
        int runsBefore =
                Contracts.mapper().readTree(api.get("?limit=1000").body()).size();

        HttpResponse<String> preview = api.post(
                "/preview",
                "{\"inventory\":\"b-2 name=second fact.zone=b\\n"
                        + "deploy@a-1:2222 name=first\\n\",\"script\":\"true\",\"user\":\"ops\"}");
        HttpResponse<String> bad = api.post("/preview", "{\"inventory\":\"web-1:abc\",\"script\":\"true\"}");

        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(Contracts.mapper().readTree(preview.body()).toString())
                .isEqualTo(
                        "[{\"id\":\"second\",\"user\":\"ops\",\"host\":\"b-2\",\"port\":22,\"facts\":{\"zone\":\"b\"}},"
                                + "{\"id\":\"first\",\"user\":\"deploy\",\"host\":\"a-1\",\"port\":2222,\"facts\":{}}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"inventory\"");
        assertThat(Contracts.mapper().readTree(api.get("?limit=1000").body()).size())
                .as("no run was recorded")
                .isEqualTo(runsBefore);
    }

    @Test
    void unknownRunsNodesAndStatesAreRefused() throws Exception {
        assertThat(api.get("/20991231-000000-000000").statusCode()).isEqualTo(404);
        String runId = create("{\"inventory\":\"" + line("api-ok-1") + "\",\"script\":\"true\"}");
        assertThat(api.get("/" + runId + "/nodes/no-such-node/attempts").statusCode())
                .isEqualTo(404);
        HttpResponse<String> badState = api.get("/" + runId + "/nodes?state=HAPPY");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("\"field\":\"state\"");
        for (String report : List.of("/report", "/report/summary", "/report/junit")) {
            HttpResponse<String> notABoolean = api.get("/" + runId + report + "?finished=maybe");
            assertThat(notABoolean.statusCode()).as(report).isEqualTo(400);
            assertThat(notABoolean.body()).as(report).contains("finished");
            assertThat(api.get("/20991231-000000-000000" + report).statusCode())
                    .as(report)
                    .isEqualTo(404);
        }
        api.awaitEnd(runId);
    }

    @Test
    void aRunCreatedThroughTheApiIsFollowedToItsEndAndInspectable() throws Exception {
        String inventory = line("api-ok-2") + "\\n" + line("api-apt");
        String runId = create("{\"inventory\":\"" + inventory + "\",\"script\":\"apt-get install -y tomcat9\"}");

        HttpResponse<String> events =
                api.send(api.request("/" + runId + "/events").timeout(Duration.ofSeconds(60)));
        JsonNode run = api.json("/" + runId);
        JsonNode failed = api.json("/" + runId + "/nodes?state=FAILED");
        JsonNode attempts = api.json("/" + runId + "/nodes/api-apt/attempts");
        RunReport report = Reports.read(api.get("/" + runId + "/report").body());

        assertThat(events.body()).contains("event:progress", "event:end");
        assertThat(run.get("state").asString()).isEqualTo("FINISHED");
        assertThat(run.get("states").toString()).isEqualTo("{\"SUCCEEDED\":1,\"FAILED\":1}");
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("nodeId").asString()).isEqualTo("api-apt");
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("COMMAND_FAILED");
        assertThat(attempts.get(0).get("result").get("stderrTail").asString()).contains("Unable to locate package");
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1), entry("COMMAND_FAILED", 1));
        String metrics = service.metrics();
        assertThat(metrics).containsPattern("lazarus_coordinator_event_ingest_lag_seconds_count\\{[^}]*} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "lazarus_coordinator_runs\\{application=\"lazarus-coordinator\",state=\"FINISHED\"} [1-9]");
    }

    @Test
    void aRequestThatWaitsIsAnsweredOnceTheRunHasFinished() throws Exception {
        String runId = create("{\"inventory\":\"" + line("api-wait") + "\",\"script\":\"true\"}");

        long asked = System.nanoTime();
        HttpResponse<String> waited =
                api.send(api.request("/" + runId + "?wait=25s").timeout(Duration.ofSeconds(60)));
        Duration answeredAfter = Duration.ofNanos(System.nanoTime() - asked);
        HttpResponse<String> tooLong = api.get("/" + runId + "?wait=31s");
        HttpResponse<String> notADuration = api.get("/" + runId + "?wait=soon");

        assertThat(waited.statusCode()).as(waited.body()).isEqualTo(200);
        JsonNode run = Contracts.mapper().readTree(waited.body());
        assertThat(run.get("finishedAt").isNull())
                .as("the 2-s install ended within the one request")
                .isFalse();
        assertThat(run.get("states").toString()).isEqualTo("{\"SUCCEEDED\":1}");
        assertThat(answeredAfter)
                .as("answered at the run's end, not at the wait's")
                .isLessThan(Duration.ofSeconds(25));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(Contracts.mapper().readTree(tooLong.body()).get("field").asString())
                .isEqualTo("wait");
        assertThat(tooLong.body()).contains("longer than 30s");
        assertThat(notADuration.statusCode()).isEqualTo(400);
        assertThat(Contracts.mapper().readTree(notADuration.body()).get("field").asString())
                .isEqualTo("wait");
    }

    @Test
    void aRunNamingASecretTheWorkersLackIsRejectedWithItsNameAndRunsNothing() throws Exception {
        String runId = create("{\"inventory\":\"" + line("api-secret") + "\",\"script\":\"true\","
                + "\"secrets\":[\"NOT_HELD_BY_WORKERS\"]}");

        api.awaitEnd(runId);
        JsonNode attempts = api.json("/" + runId + "/nodes/api-secret/attempts");

        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(attempts.get(0).get("result").get("reason").asString()).contains("no secret NOT_HELD_BY_WORKERS");
        assertThat(system.fleet().node("api-secret").executions())
                .as("nothing ran")
                .isEmpty();
    }

    @Test
    void aCancelledRunReleasesNoMoreNodes() throws Exception {
        List<String> slow =
                system.nodes("node-").stream().map(n -> line(n.id())).toList();
        String runId =
                create("{\"inventory\":\"" + String.join("\\n", slow) + "\",\"script\":\"true\",\"maxInFlight\":1}");

        HttpResponse<String> cancelled = api.post("/" + runId + "/cancel", "");
        JsonNode run = api.awaitEnd(runId);

        assertThat(cancelled.statusCode()).isEqualTo(202);
        assertThat(cancelled.body()).contains("\"cancelled\":true");
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
        assertThat(system.nodes("node-").stream()
                        .filter(n -> !n.executions().isEmpty())
                        .count())
                .isLessThan(3);
    }

    @Test
    void runWithServerHandsTheRunToTheServiceAndWaitsForItsReport() throws Exception {
        LazarusCli lazarus = system.cli().withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        String inventory = system.inventory("server", "api-ok-1", "api-apt");
        String script = system.write("install.sh", "apt-get install -y tomcat9\n");
        String server = api.base().substring(0, api.base().indexOf("/api/"));

        LazarusCli.Result result = lazarus.run(
                "run",
                "--inventory",
                inventory,
                "--script",
                script,
                "--server",
                server,
                "--wait",
                "--json",
                system.json("server"),
                "--junit",
                system.json("server-junit"),
                "--progress-interval",
                "500ms");
        LazarusCli.Result refused =
                system.lazarus("run", "--inventory", inventory, "--script", script, "--server", server);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stdout())
                .contains("handed 2 node(s) to " + server)
                .containsPattern("\\[\\d\\d:\\d\\d\\] 2/2 done \\((SUCCEEDED 1, FAILED 1|FAILED 1, SUCCEEDED 1)\\)")
                .doesNotContain("{\"");
        RunReport report = system.report("server");
        assertThat(report.runId()).isEqualTo(result.runId());
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1), entry("COMMAND_FAILED", 1));
        // the service wrote the reports and the summary, from the report its follower made as the run finished:
        // each as a local run writes it from that report, and that report is the registry's
        assertThat(Files.readString(Path.of(system.json("server"))))
                .isEqualTo(
                        api.get("/" + result.runId() + "/report?finished=true").body())
                .isEqualTo(new String(JsonReportWriter.bytes(report), StandardCharsets.UTF_8))
                .isEqualTo(api.get("/" + result.runId() + "/report").body());
        assertThat(Files.readString(Path.of(system.json("server-junit"))))
                .isEqualTo(new String(JUnitReportWriter.bytes(report), StandardCharsets.UTF_8))
                .contains("<failure");
        assertThat(result.stdout()).endsWith(SummaryPrinter.text(report)).contains("not succeeded:");
        HttpResponse<String> summary = api.get("/" + result.runId() + "/report/summary");
        assertThat(summary.headers().firstValue(SummaryPrinter.ALL_SUCCEEDED_HEADER))
                .hasValue("false");
        assertThat(summary.body()).isEqualTo(SummaryPrinter.text(report));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("the service answered 401");
    }

    @Test
    void aServiceKilledMidRunIsStartedAgainAndFinishesTheRunWithEveryNodeOnce() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "LAZARUS_SERVICE_API_TOKEN",
                TOKEN,
                "LAZARUS_REGISTRY_DIRECTORY",
                Files.createTempDirectory(system.dir(), "shared-registry").toString(),
                "SERVER_PORT",
                Integer.toString(Processes.freePort())));
        List<String> nodes = List.of("restart-1", "restart-2", "restart-3");
        ServiceProcess first = system.startService(env);
        ServiceApi restarted = ServiceApi.at(runs(first), TOKEN);
        HttpResponse<String> created = restarted.post(
                "",
                "{\"inventory\":\""
                        + String.join(
                                "\\n", nodes.stream().map(ServiceApiTest::line).toList())
                        + "\",\"script\":\"true\",\"maxInFlight\":1}");
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();
        await("the run gets going")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !system.fleet().node("restart-1").executions().isEmpty());
        first.kill();

        try (ServiceProcess ignored = system.startService(env)) {
            JsonNode run = restarted.awaitEnd(runId);

            assertThat(run.get("states").toString()).isEqualTo("{\"SUCCEEDED\":3}");
            assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
            assertThat(nodes)
                    .allSatisfy(id -> assertThat(system.fleet().node(id).executions())
                            .as(id)
                            .hasSize(1));
        }
    }

    private static String runs(ServiceProcess service) {
        return "http://127.0.0.1:" + service.port() + "/api/runs";
    }

    private static String line(String nodeId) {
        return system.fleet().node(nodeId).inventoryLine(LazarusSystem.USER);
    }

    private static String create(String body) throws Exception {
        HttpResponse<String> response = api.post("", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(response.body()).get("runId").asString();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/runs/" + runId);
        return runId;
    }
}
