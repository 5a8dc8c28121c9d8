package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Network;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

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

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("single", NodeBehavior.succeed())
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
                    .node("kept-apt", NodeBehavior.aptFailure()))
            .worker(Map.of(
                    "LAZARUS_WORKER_PREFETCH", "250",
                    "LAZARUS_SSH_CONNECT_TIMEOUT", "3s",
                    "LAZARUS_SSH_CONNECT_ATTEMPTS", "2",
                    "LAZARUS_SSH_CONNECT_BACKOFF", "100ms",
                    "LAZARUS_SSH_CONNECT_BACKOFF_MAX", "200ms"));

    static String script;

    @BeforeAll
    static void script() throws Exception {
        script = system.write("install.sh", SCRIPT);
    }

    @Test
    void oneNodeIsInstalledAndReported() throws Exception {
        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("one", "single"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("one"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("one");
        assertThat(report.runId()).isEqualTo(result.runId());
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1));
        assertThat(report.nodes().getFirst())
                .extracting(NodeReport::node, NodeReport::state, NodeReport::exitCode)
                .containsExactly("single", NodeState.SUCCEEDED, 0);
        assertThat(report.nodes().getFirst().stdoutTail()).contains("[single] step 3/3");
        assertThat(system.fleet().node("single").executions())
                .singleElement()
                .satisfies(e -> assertThat(e.command())
                        .as("the script after the prelude that reads its environment")
                        .endsWith("unset __lz_env __lz_line\n" + SCRIPT));
        assertThat(result.stdout()).contains("SUCCEEDED               1");
    }

    @Test
    void theRegistryKeepsTheRunSoStatusAndReportTellItAgainLater() throws Exception {
        Path junit = system.file("kept-registry.xml");
        LazarusCli.Result run = system.lazarus(
                "run",
                "--inventory",
                system.inventory("kept", "kept-ok", "kept-apt"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("kept-wait"));
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);

        LazarusCli.Result status = system.lazarus("status", run.runId());
        LazarusCli.Result report = system.lazarus(
                "report", run.runId(), "--json", system.json("kept-registry"), "--junit", junit.toString());
        LazarusCli.Result unknown = system.lazarus("status", "20991231-000000-000000");
        LazarusCli.Result cancelEnded = system.lazarus("cancel", run.runId());
        LazarusCli.Result cancelUnknown = system.lazarus("cancel", "20991231-000000-000000");

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout())
                .contains(
                        "run " + run.runId() + " FINISHED",
                        "nodes 2, released 2",
                        "by state:   SUCCEEDED 1, FAILED 1",
                        "by outcome: COMMAND_FAILED 1, SUCCEEDED 1");
        assertThat(report.exitCode()).as(report.toString()).isEqualTo(1);
        RunReport before = system.report("kept-wait");
        RunReport after = system.report("kept-registry");
        assertThat(after)
                .usingRecursiveComparison()
                .comparingOnlyFields("runId", "scriptSha256", "startedAt", "finishedAt", "total", "summary", "states")
                .isEqualTo(before);
        assertThat(Reports.byNode(after))
                .as("every node's line, tails and steps included")
                .isEqualTo(Reports.byNode(before));
        assertThat(Reports.junitCases(junit)).hasSize(2);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("no run 20991231-000000-000000 in this registry");
        assertThat(status.stdout()).doesNotContain("DO NOT BALANCE");
        assertThat(run.stdout())
                .contains("books: 2 dispatched = 1 succeeded + 1 failed + 0 dead-lettered + 0 quarantined"
                        + " + 0 ghosts + 0 cancelled + 0 unfinished; 0 never released: balanced");
        LazarusCli.Result rerun = system.lazarus("rerun", run.runId(), "--wait");
        assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(1);
        assertThat(rerun.runId()).isNotEqualTo(run.runId());
        assertThat(rerun.stdout()).contains("rerunning " + run.runId() + ": 2 node(s)");
        assertThat(system.fleet().node("kept-ok").executions()).hasSize(2);
        assertThat(system.fleet().node("kept-apt").executions()).hasSize(2);
        assertThat(cancelEnded.exitCode()).isZero();
        assertThat(cancelEnded.stdout()).contains("is not running: nothing to cancel");
        assertThat(cancelUnknown.exitCode()).isEqualTo(2);
    }

    @Test
    void twoHundredNodesAreInstalledAndTheReportMatchesWhatTheServersRan() throws Exception {
        List<SimulatedNode> fleet200 = system.nodes("node-");
        assertThat(fleet200).hasSize(200);
        Path junit = system.file("200.xml");
        double succeededBefore = system.worker().metric("lazarus_worker_outcomes_total", "outcome=\"SUCCEEDED\"");
        double startedBefore = system.worker().metric("lazarus_worker_events_published_total", "type=\"STARTED\"");
        double finishedBefore = system.worker().metric("lazarus_worker_events_published_total", "type=\"FINISHED\"");

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("fleet200", fleet200),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("200"),
                "--junit",
                junit.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("published 200/200", "200/200 done");
        RunReport report = system.report("200");
        assertThat(report.total()).isEqualTo(200);
        assertThat(report.summary()).containsEntry("SUCCEEDED", 200);
        Map<String, NodeReport> reported = Reports.byNode(report);
        assertThat(reported.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        fleet200.stream().map(SimulatedNode::id).toList());
        for (SimulatedNode node : fleet200) {
            assertThat(node.executions())
                    .as("what %s ran", node.id())
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.command())
                                .as("the script after the prelude that reads its environment")
                                .endsWith("unset __lz_env __lz_line\n" + SCRIPT);
                        assertThat(e.user()).isEqualTo(LazarusSystem.USER);
                    });
            NodeReport line = reported.get(node.id());
            assertThat(line)
                    .extracting(NodeReport::host, NodeReport::port, NodeReport::outcome)
                    .containsExactly(node.address(), node.port(), Outcome.SUCCEEDED);
            assertThat(line.stdoutTail()).endsWith("[" + node.id() + "] step 3/3\n");
        }
        Element suite = Reports.junit(junit);
        assertThat(suite.getAttribute("tests")).isEqualTo("200");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getElementsByTagName("testcase").getLength()).isEqualTo(200);
        assertThat(system.worker().metric("lazarus_worker_outcomes_total", "outcome=\"SUCCEEDED\"") - succeededBefore)
                .isEqualTo(200);
        assertThat(system.worker().metric("lazarus_ssh_connect_seconds_count", "application"))
                .isGreaterThanOrEqualTo(200);
        assertThat(system.worker().metric("lazarus_worker_events_published_total", "type=\"STARTED\"") - startedBefore)
                .as("one STARTED event a node")
                .isEqualTo(200);
        assertThat(system.worker().metric("lazarus_worker_events_published_total", "type=\"FINISHED\"")
                        - finishedBefore)
                .isEqualTo(200);
        assertThat(system.worker().get("/actuator/prometheus"))
                .contains(
                        "lazarus_ssh_command_seconds_bucket",
                        "lazarus_worker_nodes_in_flight",
                        "lazarus_worker_output_flush_interval_seconds");
    }

    @Test
    void aFailingScriptIsCommandFailedWithItsExitCodeAndStderrInBothReports() throws Exception {
        Path junit = system.file("apt.xml");

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("apt", "apt", "ok-beside-apt"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("apt"),
                "--junit",
                junit.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        RunReport report = system.report("apt");
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1), entry("COMMAND_FAILED", 1));
        NodeReport apt = report.nodes().getFirst();
        assertThat(apt)
                .extracting(
                        NodeReport::node,
                        NodeReport::state,
                        NodeReport::outcome,
                        NodeReport::exitCode,
                        NodeReport::stderrTail)
                .containsExactly(
                        "apt", NodeState.FAILED, Outcome.COMMAND_FAILED, 100, "E: Unable to locate package tomcat9\n");
        assertThat(apt.reason()).contains("exited 100");

        Map<String, Element> cases = Reports.junitCases(junit);
        Element failure =
                (Element) cases.get("apt (" + system.fleet().node("apt").address() + ":2222)")
                        .getElementsByTagName("failure")
                        .item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("COMMAND_FAILED");
        assertThat(failure.getAttribute("message")).contains("exited 100");
        assertThat(failure.getTextContent()).contains("E: Unable to locate package tomcat9");
        assertThat(cases.get("ok-beside-apt ("
                                + system.fleet().node("ok-beside-apt").address() + ":2222)")
                        .getElementsByTagName("failure")
                        .getLength())
                .isZero();
        assertThat(result.stdout())
                .contains("apt (" + system.fleet().node("apt").address() + ":2222) COMMAND_FAILED");
    }

    @Test
    void unreachableNodesDoNotHangTheRun() throws Exception {
        long started = System.nanoTime();

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                system.inventory("unreachable", "refuses", "silent", "ok-beside-unreachable"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("unreachable"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        RunReport report = system.report("unreachable");
        assertThat(report.summary()).containsExactly(entry("SUCCEEDED", 1), entry("CONNECT_FAILED", 2));
        assertThat(report.nodes().get(1).reason()).contains("after 2 attempt(s)");
        // 2 connect attempts of 1 s each plus backoff, and the JVM start: far below any run deadline
        assertThat(took).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void withoutWaitTheRunIsEnqueuedConfirmedAndLeftToTheWorkers() throws Exception {
        LazarusCli.Result result =
                system.lazarus("run", "--inventory", system.inventory("enqueued", "enqueued"), "--script", script);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdoutLines().getFirst()).matches("run \\d{8}-\\d{6}-[0-9a-f]{6}");
        assertThat(result.stdout()).contains("1 install messages confirmed by the broker");
        await("the node runs")
                .atMost(Duration.ofSeconds(20))
                .until(() -> !system.fleet().node("enqueued").executions().isEmpty());
    }

    @Test
    void aMalformedMessageIsRejectedWithAReasonDeadLetteredAndTheWorkerKeepsConsuming() throws Exception {
        String runId = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = system.broker().newConnection("system-test");
                Channel channel = connection.createChannel()) {
            String events = channel.queueDeclare().getQueue();
            channel.queueBind(events, Topology.REGISTRY_EXCHANGE, Topology.runEventsPattern(runId));
            channel.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .messageId("malformed-1")
                    .deliveryMode(2)
                    .headers(Map.of(Topology.HEADER_RUN_ID, runId, Topology.HEADER_NODE_ID, "garbled"))
                    .build();
            channel.basicPublish(
                    Topology.INSTALL_EXCHANGE,
                    Topology.INSTALL_ROUTING_KEY,
                    props,
                    "{\"schemaVersion\":1,\"node\":".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            GetResponse event = next(channel, events, Duration.ofSeconds(20));
            AttemptEvent rejected = Contracts.readEvents(event.getBody()).getFirst();
            assertThat(rejected.type()).isEqualTo(EventType.FINISHED);
            assertThat(rejected.result().outcome()).isEqualTo(Outcome.REJECTED);
            // the signature is checked before anything is parsed: an unsigned message is refused as such
            assertThat(rejected.result().reason()).startsWith("unsigned");
            assertThat(rejected.nodeId()).isEqualTo("garbled");
            assertThat(event.getEnvelope().getRoutingKey()).isEqualTo("run." + runId + ".rejected");

            GetResponse dead = next(channel, Topology.RESURRECTION_QUEUE, Duration.ofSeconds(10));
            assertThat(dead.getProps().getMessageId()).isEqualTo("malformed-1");
            channel.basicAck(dead.getEnvelope().getDeliveryTag(), false);
        }

        LazarusCli.Result after = system.lazarus(
                "run", "--inventory", system.inventory("after", "after-poison"), "--script", script, "--wait");
        assertThat(after.exitCode()).as(after.toString()).isZero();
    }

    @Test
    void theCoordinatorServesItsMetricsWhileItWaits() throws Exception {
        int port = Processes.freePort();
        LazarusCli.Running running = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("slow", "slow"),
                        "--script",
                        script,
                        "--wait",
                        "--metrics-port",
                        Integer.toString(port));
        AtomicReference<Boolean> beyondLoopback = new AtomicReference<>();
        var outside = Network.nonLoopbackAddress();
        Pattern lagTimed = Pattern.compile("lazarus_coordinator_event_ingest_lag_seconds_count\\{[^}]*} [1-9]");
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .build();
        String scraped;
        try (HttpClient http = HttpClient.newHttpClient()) {
            // until the slow node's STARTED event is in the registry (the node is RUNNING while it installs for 5 s)
            // and its ingest lag is timed, which happens just after the registry write; a ceiling, left as soon as the
            // node shows: a loaded machine takes most of it to start the JVM
            scraped = await("the slow node RUNNING in the metrics")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(
                            () -> {
                                String body = http.send(scrape, HttpResponse.BodyHandlers.ofString())
                                        .body();
                                if (beyondLoopback.get() == null && outside.isPresent()) {
                                    // while the port answers on loopback, it must not on the machine's network address
                                    beyondLoopback.set(Network.listens(outside.get(), port));
                                }
                                return body;
                            },
                            body -> body.contains(
                                            "lazarus_coordinator_nodes{application=\"lazarus-coordinator\",state=\"RUNNING\"} 1.0")
                                    && lagTimed.matcher(body).find());
        }
        LazarusCli.Result result = running.await();

        assertThat(beyondLoopback.get())
                .as("--metrics-port on " + outside + " (loopback only by default)")
                .isNotEqualTo(Boolean.TRUE);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(scraped)
                .contains(
                        "lazarus_coordinator_messages_published_total{application=\"lazarus-coordinator\"} 1.0",
                        "lazarus_coordinator_nodes{application=\"lazarus-coordinator\",state=\"RUNNING\"} 1.0",
                        "lazarus_coordinator_ghosts_total{application=\"lazarus-coordinator\"} 0.0");
        assertThat(scraped)
                .containsPattern(
                        "lazarus_coordinator_runs\\{application=\"lazarus-coordinator\",state=\"RUNNING\"} [1-9]");
        assertThat(scraped).containsPattern(lagTimed);
    }

    /** The next message of the queue, left unacknowledged. */
    private static GetResponse next(Channel channel, String queue, Duration timeout) {
        return await("a message in " + queue)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> channel.basicGet(queue, false), Objects::nonNull);
    }
}
