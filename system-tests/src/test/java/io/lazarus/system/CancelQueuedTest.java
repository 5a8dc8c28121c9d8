package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lazarus.common.contract.CancelNotice;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.topology.Topology;
import io.lazarus.common.trust.InstallSignature;
import io.lazarus.common.trust.SigningKey;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Cancel means stop: a cancelled run's nodes still queued are not run by any worker, they end CANCELLED and the books
 * balance; a cancel notice without the run-signing key's signature cancels nothing.
 */
class CancelQueuedTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final Duration INSTALL = Duration.ofSeconds(2);

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                for (int i = 1; i <= 40; i++) {
                    fleet.node("queued-%02d".formatted(i), NodeBehavior.install(INSTALL, 4));
                }
                for (int i = 1; i <= 6; i++) {
                    fleet.node("forged-%02d".formatted(i), NodeBehavior.install(INSTALL, 4));
                }
            })
            // a few in flight, the rest wait in the queue: as replicas x prefetch against a 10,000-node run
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "4"));

    static ServiceApi api;

    @BeforeAll
    static void service() throws Exception {
        ServiceProcess service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
    }

    @Test
    void aCancelledRunsQueuedNodesAreNotRunAndEndCancelled() throws Exception {
        List<SimulatedNode> nodes = system.nodes("queued-");
        String runId = create(nodes);
        await("the first installs start")
                .atMost(Duration.ofSeconds(30))
                .until(() -> nodes.stream().anyMatch(n -> !n.executions().isEmpty()));

        Instant cancelledAt = Instant.now();
        HttpResponse<String> cancelled = api.post("/" + runId + "/cancel", "");
        JsonNode run = api.awaitEnd(runId);
        Duration toEnd = Duration.between(
                cancelledAt, Instant.parse(run.get("finishedAt").asString()));

        assertThat(cancelled.statusCode()).isEqualTo(202);
        long ran = nodes.stream().filter(n -> !n.executions().isEmpty()).count();
        long startedAfterCancel = nodes.stream()
                .flatMap(n -> n.executions().stream())
                .filter(e -> e.startedAt().isAfter(cancelledAt.plusMillis(500)))
                .count();
        System.out.printf(
                "cancel of 40 queued 2 s installs (prefetch 4): run ended %d ms after the cancel; %d node(s) ran,"
                        + " %d started more than 0.5 s after the cancel%n",
                toEnd.toMillis(), ran, startedAfterCancel);
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isEqualTo(40 - (int) ran);
        assertThat(run.get("states").get("SUCCEEDED").asInt()).isEqualTo((int) ran);
        assertThat(ran).as("nodes that ran: those in flight at the cancel").isLessThanOrEqualTo(8);
        assertThat(startedAfterCancel).isZero();
        assertThat(toEnd).as("the queued nodes do not wait their turn").isLessThan(INSTALL.multipliedBy(5));
        JsonNode books = run.get("reconciliation");
        assertThat(books.get("balanced").asBoolean()).as(books.toString()).isTrue();
        assertThat(books.get("manifest").asInt())
                .as("every node was dispatched")
                .isEqualTo(40);
        assertThat(books.get("cancelled").asInt()).isEqualTo(40 - (int) ran);
        assertThat(books.get("ghosts").asInt()).isZero();
        String dropped = nodes.stream()
                .filter(n -> n.executions().isEmpty())
                .findFirst()
                .orElseThrow()
                .id();
        JsonNode attempt =
                api.json("/" + runId + "/nodes/" + dropped + "/attempts").get(0);
        assertThat(attempt.get("outcome").asString()).isEqualTo("CANCELLED");
        assertThat(attempt.get("result").get("reason").asString()).isEqualTo("run cancelled before this node started");
    }

    @Test
    void aCancelNoticeWithoutTheRunSigningKeysSignatureCancelsNothing() throws Exception {
        List<SimulatedNode> nodes = system.nodes("forged-");
        double refusedBefore = refusedNotices();
        String runId = create(nodes);

        // as anyone who may publish on the broker: unsigned, and signed with a key of its own
        try (Connection connection = system.broker().newConnection("intruder")) {
            Channel channel = connection.createChannel();
            forge(channel, runId, null);
            forge(channel, runId, SigningKey.generate());
        }
        JsonNode run = api.awaitEnd(runId);

        assertThat(run.get("state").asString()).isEqualTo("FINISHED");
        assertThat(run.get("states").get("SUCCEEDED").asInt()).isEqualTo(6);
        assertThat(nodes).allSatisfy(n -> assertThat(n.executions()).hasSize(1));
        await("the worker counted both forgeries")
                .atMost(Duration.ofSeconds(10))
                .until(() -> refusedNotices() - refusedBefore, d -> d == 2);
        assertThat(Files.readString(system.worker().log()))
                .contains("ignoring a cancel notice")
                .contains(": unsigned")
                .contains("signed by unknown key");
    }

    private static void forge(Channel channel, String runId, SigningKey key) throws Exception {
        CancelNotice notice =
                CancelNotice.of(runId, Instant.now(), Instant.now().plusSeconds(600));
        byte[] body = Contracts.toJson(notice);
        Map<String, Object> headers = new HashMap<>(Map.of(Topology.HEADER_RUN_ID, runId));
        if (key != null) {
            headers.put(InstallSignature.HEADER_KEY_ID, key.keyId());
            headers.put(
                    InstallSignature.HEADER_SIGNATURE,
                    InstallSignature.signCancel(key, notice.noticeId(), runId, body));
        }
        channel.basicPublish(
                Topology.CONTROL_EXCHANGE,
                "",
                new AMQP.BasicProperties.Builder()
                        .messageId(notice.noticeId())
                        .headers(headers)
                        .build(),
                body);
    }

    private static double refusedNotices() throws Exception {
        return system.worker().metric("lazarus_worker_cancel_notices_total", "verdict=\"refused\"");
    }

    private static String create(List<SimulatedNode> nodes) throws Exception {
        String inventory = String.join(
                "\\n",
                nodes.stream().map(n -> n.inventoryLine(LazarusSystem.USER)).toList());
        HttpResponse<String> response = api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Contracts.mapper().readTree(response.body()).get("runId").asString();
    }
}
