package io.lazarus.system;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.fleet.Execution;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system as a user runs it: the worker jar and the lazarus command as processes, the real broker, and real
 * SSH servers on distinct loopback addresses.
 */
class InstallThroughBrokerTest {

    private static final String SCRIPT = """
            #!/bin/sh
            set -e
            apt-get install -y tomcat10
            systemctl enable --now tomcat10
            """;

    @TempDir
    static Path dir;
    static RabbitBroker broker;
    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static Path script;

    @BeforeAll
    static void system() throws Exception {
        broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("single", NodeBehavior.succeed())
                .nodes(200, NodeBehavior.succeedSlowly(3, Duration.ofMillis(20)))
                .node("apt", NodeBehavior.aptFailure())
                .node("ok-beside-apt", NodeBehavior.succeed())
                .node("refuses", NodeBehavior.refuseConnection())
                .node("silent", NodeBehavior.noBanner())
                .node("ok-beside-unreachable", NodeBehavior.succeed())
                .node("enqueued", NodeBehavior.succeed())
                .node("after-poison", NodeBehavior.succeed())
                .node("slow", NodeBehavior.succeedSlowly(25, Duration.ofMillis(200)))
                .node("kept-ok", NodeBehavior.succeed())
                .node("kept-apt", NodeBehavior.aptFailure())
                .start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), Map.of(
                "LAZARUS_WORKER_PREFETCH", "250",
                "LAZARUS_SSH_CONNECT_TIMEOUT", "3s",
                "LAZARUS_SSH_CONNECT_ATTEMPTS", "2",
                "LAZARUS_SSH_CONNECT_BACKOFF", "100ms",
                "LAZARUS_SSH_CONNECT_BACKOFF_MAX", "200ms"), List.of(), Processes.logs("system-tests"));
        lazarus = new LazarusCli(broker);
        script = Files.writeString(dir.resolve("install.sh"), SCRIPT);
    }

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
    }

    @Test
    void oneNodeIsInstalledAndReported() throws Exception {
        Path json = dir.resolve("one.json");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("one", nodes("single")).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("runId").asString()).isEqualTo(result.runId());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1}");
        JsonNode node = report.get("nodes").get(0);
        assertThat(node.get("node").asString()).isEqualTo("single");
        assertThat(node.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(node.get("exitCode").asInt()).isZero();
        assertThat(node.get("stdoutTail").asString()).contains("[single] step 3/3");
        assertThat(fleet.node("single").executions()).singleElement()
                .satisfies(e -> assertThat(e.command()).isEqualTo(SCRIPT));
        assertThat(result.stdout()).contains("SUCCEEDED               1");
    }

    @Test
    void theRegistryKeepsTheRunSoStatusAndReportTellItAgainLater() throws Exception {
        Path waited = dir.resolve("kept-wait.json");
        Path fromRegistry = dir.resolve("kept-registry.json");
        Path junit = dir.resolve("kept-registry.xml");
        LazarusCli.Result run = lazarus.run("run", "--inventory", inventory("kept", nodes("kept-ok", "kept-apt")).toString(),
                "--script", script.toString(), "--wait", "--json", waited.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);

        LazarusCli.Result status = lazarus.run("status", run.runId());
        LazarusCli.Result report = lazarus.run("report", run.runId(), "--json", fromRegistry.toString(),
                "--junit", junit.toString());
        LazarusCli.Result unknown = lazarus.run("status", "20991231-000000-000000");
        LazarusCli.Result cancelEnded = lazarus.run("cancel", run.runId());
        LazarusCli.Result cancelUnknown = lazarus.run("cancel", "20991231-000000-000000");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).contains("run " + run.runId() + " FINISHED", "nodes 2, dispatched 2",
                "by state:   SUCCEEDED 1, FAILED 1", "by outcome: COMMAND_FAILED 1, SUCCEEDED 1");
        assertThat(report.exitCode()).as(report.toString()).isEqualTo(1);
        JsonNode before = Contracts.mapper().readTree(waited.toFile());
        JsonNode after = Contracts.mapper().readTree(fromRegistry.toFile());
        for (String field : List.of("runId", "scriptSha256", "startedAt", "finishedAt", "total", "summary", "states")) {
            assertThat(after.get(field)).as(field).isEqualTo(before.get(field));
        }
        assertThat(byNode(after)).as("every node's line, tails and steps included").isEqualTo(byNode(before));
        assertThat(testCases(junit)).hasSize(2);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no run 20991231-000000-000000 in this registry");
        assertThat(status.stdout()).doesNotContain("DO NOT BALANCE");
        assertThat(run.stdout()).contains("books: 2 dispatched = 1 succeeded + 1 failed + 0 dead-lettered + 0 quarantined"
                + " + 0 ghosts + 0 cancelled + 0 unfinished; 0 never released: balanced");
        LazarusCli.Result rerun = lazarus.run("rerun", run.runId(), "--wait");
        assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(1);
        assertThat(rerun.runId()).isNotEqualTo(run.runId());
        assertThat(rerun.stdout()).contains("rerunning " + run.runId() + ": 2 node(s)");
        assertThat(fleet.node("kept-ok").executions()).hasSize(2);
        assertThat(fleet.node("kept-apt").executions()).hasSize(2);
        assertThat(cancelEnded.exitCode()).isZero();
        assertThat(cancelEnded.stdout()).contains("is not running: nothing to cancel");
        assertThat(cancelUnknown.exitCode()).isEqualTo(2);
    }

    private static Map<String, JsonNode> byNode(JsonNode report) {
        return StreamSupport.stream(report.get("nodes").spliterator(), false)
                .collect(Collectors.toMap(n -> n.get("node").asString(), n -> n));
    }

    @Test
    void twoHundredNodesAreInstalledAndTheReportMatchesWhatTheServersRan() throws Exception {
        List<SimulatedNode> fleet200 = fleet.nodes().stream().filter(n -> n.id().startsWith("node-")).toList();
        assertThat(fleet200).hasSize(200);
        Path json = dir.resolve("200.json");
        Path junit = dir.resolve("200.xml");
        double succeededBefore = worker.metric("lazarus_worker_outcomes_total", "outcome=\"SUCCEEDED\"");

        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("fleet200", fleet200).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString(), "--junit", junit.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("published 200/200", "200/200 done");
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("total").asInt()).isEqualTo(200);
        assertThat(report.get("summary").get("SUCCEEDED").asInt()).isEqualTo(200);
        Map<String, JsonNode> reported = StreamSupport.stream(report.get("nodes").spliterator(), false)
                .collect(Collectors.toMap(n -> n.get("node").asString(), n -> n));
        assertThat(reported.keySet()).containsExactlyInAnyOrderElementsOf(fleet200.stream().map(SimulatedNode::id).toList());
        for (SimulatedNode node : fleet200) {
            List<Execution> ran = node.executions();
            assertThat(ran).as("what %s ran", node.id()).singleElement().satisfies(e -> {
                assertThat(e.command()).isEqualTo(SCRIPT);
                assertThat(e.user()).isEqualTo("deploy");
            });
            JsonNode line = reported.get(node.id());
            assertThat(line.get("host").asString()).isEqualTo(node.address());
            assertThat(line.get("port").asInt()).isEqualTo(node.port());
            assertThat(line.get("outcome").asString()).isEqualTo("SUCCEEDED");
            assertThat(line.get("stdoutTail").asString()).endsWith("[" + node.id() + "] step 3/3\n");
        }
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("200");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("0");
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(200);
        assertThat(worker.metric("lazarus_worker_outcomes_total", "outcome=\"SUCCEEDED\"") - succeededBefore).isEqualTo(200);
        assertThat(worker.metric("lazarus_ssh_connect_seconds_count", "application")).isGreaterThanOrEqualTo(200);
        assertThat(worker.get("/actuator/prometheus")).contains("lazarus_ssh_command_seconds_bucket",
                "lazarus_worker_nodes_in_flight");
    }

    @Test
    void aFailingScriptIsCommandFailedWithItsExitCodeAndStderrInBothReports() throws Exception {
        Path json = dir.resolve("apt.json");
        Path junit = dir.resolve("apt.xml");

        LazarusCli.Result result = lazarus.run("run", "--inventory",
                inventory("apt", nodes("apt", "ok-beside-apt")).toString(), "--script", script.toString(), "--wait",
                "--json", json.toString(), "--junit", junit.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1,\"COMMAND_FAILED\":1}");
        JsonNode apt = report.get("nodes").get(0);
        assertThat(apt.get("node").asString()).isEqualTo("apt");
        assertThat(apt.get("state").asString()).isEqualTo("FAILED");
        assertThat(apt.get("outcome").asString()).isEqualTo("COMMAND_FAILED");
        assertThat(apt.get("exitCode").asInt()).isEqualTo(100);
        assertThat(apt.get("stderrTail").asString()).isEqualTo("E: Unable to locate package tomcat9\n");
        assertThat(apt.get("reason").asString()).contains("exited 100");

        Map<String, Element> cases = testCases(junit);
        Element failure = (Element) cases.get("apt (" + fleet.node("apt").address() + ":2222)")
                .getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("COMMAND_FAILED");
        assertThat(failure.getAttribute("message")).contains("exited 100");
        assertThat(failure.getTextContent()).contains("E: Unable to locate package tomcat9");
        assertThat(cases.get("ok-beside-apt (" + fleet.node("ok-beside-apt").address() + ":2222)")
                .getElementsByTagName("failure").getLength()).isZero();
        assertThat(result.stdout()).contains("apt (" + fleet.node("apt").address() + ":2222) COMMAND_FAILED");
    }

    @Test
    void unreachableNodesDoNotHangTheRun() throws Exception {
        Path json = dir.resolve("unreachable.json");
        long started = System.nanoTime();

        LazarusCli.Result result = lazarus.run("run", "--inventory",
                inventory("unreachable", nodes("refuses", "silent", "ok-beside-unreachable")).toString(),
                "--script", script.toString(), "--wait", "--json", json.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        JsonNode report = Contracts.mapper().readTree(json.toFile());
        assertThat(report.get("summary").toString()).isEqualTo("{\"SUCCEEDED\":1,\"CONNECT_FAILED\":2}");
        assertThat(report.get("nodes").get(1).get("reason").asString()).contains("after 2 attempt(s)");
        // 2 connect attempts of 1 s each plus backoff, and the JVM start: far below any run deadline
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void withoutWaitTheRunIsEnqueuedConfirmedAndLeftToTheWorkers() throws Exception {
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("enqueued", nodes("enqueued")).toString(),
                "--script", script.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines().getFirst()).matches("run \\d{8}-\\d{6}-[0-9a-f]{6}");
        assertThat(result.stdout()).contains("1 install messages confirmed by the broker");
        SystemTests.awaitTrue("the node runs", () -> !fleet.node("enqueued").executions().isEmpty(), Duration.ofSeconds(20));
    }

    @Test
    void aMalformedMessageIsRejectedWithAReasonDeadLetteredAndTheWorkerKeepsConsuming() throws Exception {
        String runId = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = broker.newConnection("system-test"); Channel channel = connection.createChannel()) {
            String events = channel.queueDeclare().getQueue();
            channel.queueBind(events, Topology.REGISTRY_EXCHANGE, Topology.runEventsPattern(runId));
            channel.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("malformed-1").deliveryMode(2)
                    .headers(Map.of(Topology.HEADER_RUN_ID, runId, Topology.HEADER_NODE_ID, "garbled")).build();
            channel.basicPublish(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY, props,
                    "{\"schemaVersion\":1,\"node\":".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            GetResponse event = await(channel, events, Duration.ofSeconds(20));
            AttemptEvent rejected = Contracts.readEvent(event.getBody());
            assertThat(rejected.type()).isEqualTo(EventType.FINISHED);
            assertThat(rejected.result().outcome()).isEqualTo(Outcome.REJECTED);
            // the signature is checked before anything is parsed: an unsigned message is refused as such
            assertThat(rejected.result().reason()).startsWith("unsigned");
            assertThat(rejected.nodeId()).isEqualTo("garbled");
            assertThat(event.getEnvelope().getRoutingKey()).isEqualTo("run." + runId + ".rejected");

            GetResponse dead = await(channel, Topology.RESURRECTION_QUEUE, Duration.ofSeconds(10));
            assertThat(dead.getProps().getMessageId()).isEqualTo("malformed-1");
            channel.basicAck(dead.getEnvelope().getDeliveryTag(), false);
        }

        LazarusCli.Result after = lazarus.run("run", "--inventory", inventory("after", nodes("after-poison")).toString(),
                "--script", script.toString(), "--wait");
        assertThat(after.exitCode()).as(after.toString()).isZero();
    }

    @Test
    void theCoordinatorServesItsMetricsWhileItWaits() throws Exception {
        int port = Processes.freePort();
        LazarusCli.Running running = lazarus.start("run", "--inventory", inventory("slow", nodes("slow")).toString(),
                "--script", script.toString(), "--wait", "--metrics-port", Integer.toString(port));
        String scraped = "";
        Boolean beyondLoopback = null;
        java.util.Optional<java.net.InetAddress> outside = SystemTests.nonLoopbackAddress();
        // a ceiling, left as soon as the node shows: a loaded machine takes most of it to start the JVM
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        // until the slow node's STARTED event is in the registry (the node is RUNNING while it installs for 5 s)
        // and its ingest lag is timed, which happens just after the registry write
        java.util.regex.Pattern lagTimed = java.util.regex.Pattern.compile(
                "lazarus_coordinator_event_ingest_lag_seconds_count\\{[^}]*} [1-9]");
        while (!(scraped.contains("lazarus_coordinator_nodes{application=\"lazarus-coordinator\",state=\"RUNNING\"} 1.0")
                && lagTimed.matcher(scraped).find()) && Instant.now().isBefore(until)) {
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                scraped = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                if (beyondLoopback == null && outside.isPresent()) {
                    // while the port answers on loopback, it must not on the machine's network address
                    beyondLoopback = SystemTests.listens(outside.get(), port);
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        LazarusCli.Result result = running.await();

        assertThat(beyondLoopback).as("--metrics-port on " + outside + " (loopback only by default)").isNotEqualTo(Boolean.TRUE);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(scraped).contains("lazarus_coordinator_messages_published_total{application=\"lazarus-coordinator\"} 1.0",
                "lazarus_coordinator_nodes{application=\"lazarus-coordinator\",state=\"RUNNING\"} 1.0",
                "lazarus_coordinator_ghosts_total{application=\"lazarus-coordinator\"} 0.0");
        assertThat(scraped).containsPattern("lazarus_coordinator_runs\\{application=\"lazarus-coordinator\",state=\"RUNNING\"} [1-9]");
        assertThat(scraped).containsPattern("lazarus_coordinator_event_ingest_lag_seconds_count\\{[^}]*} [1-9]");
    }

    private static List<SimulatedNode> nodes(String... ids) {
        return java.util.Arrays.stream(ids).map(fleet::node).toList();
    }

    private static Path inventory(String name, List<SimulatedNode> nodes) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# " + name);
        nodes.forEach(n -> lines.add(n.inventoryLine("deploy")));
        return Files.write(dir.resolve(name + ".inventory"), lines);
    }

    private static Map<String, Element> testCases(Path junit) throws Exception {
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        NodeList cases = xml.getElementsByTagName("testcase");
        Map<String, Element> byName = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element element = (Element) cases.item(i);
            byName.put(element.getAttribute("name"), element);
        }
        return byName;
    }

    private static GetResponse await(Channel channel, String queue, Duration timeout) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            GetResponse response = channel.basicGet(queue, false);
            if (response != null) {
                return response;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing arrived in " + queue + " within " + timeout);
    }
}
