package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Deliveries the worker holds beyond its in-flight limit wait unstarted, and a cancel still reaches them: they end
 * CANCELLED without running, as nodes still in the queue do.
 */
class CancelWaitingTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final Duration INSTALL = Duration.ofSeconds(2);
    private static final int NODES = 30;

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.nodes(NODES, NodeBehavior.install(INSTALL, 4)))
            // the worker fetches 3 (its limit's most) of the prefetch's NODES; the limit, never reconsidered, starts
            // one of them at a time and the other two wait for it
            .worker(Map.of(
                    "LAZARUS_WORKER_PREFETCH", String.valueOf(NODES),
                    "LAZARUS_WORKER_LIMIT_MIN", "1",
                    "LAZARUS_WORKER_LIMIT_INITIAL", "1",
                    "LAZARUS_WORKER_LIMIT_MAX", "3",
                    "LAZARUS_WORKER_LIMIT_INTERVAL", "1h"));

    @Test
    void aCancelTurnsTheDeliveriesWaitingForTheLimitIntoCancelledNodes() throws Exception {
        ServiceProcess service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        ServiceApi api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
        List<SimulatedNode> nodes = system.fleet().nodes();
        String runId = api.createRun(nodes, "true");
        await("deliveries wait in the worker for its limit")
                .atMost(Duration.ofSeconds(30))
                .until(() -> limit().get("waiting").asInt() > 0
                        && nodes.stream().anyMatch(n -> !n.executions().isEmpty()));

        Instant cancelledAt = Instant.now();
        assertThat(api.post("/" + runId + "/cancel", "").statusCode()).isEqualTo(202);
        JsonNode run = api.awaitEnd(runId);

        long ran = nodes.stream().filter(n -> !n.executions().isEmpty()).count();
        long startedAfterCancel = nodes.stream()
                .flatMap(n -> n.executions().stream())
                .filter(e -> e.startedAt().isAfter(cancelledAt.plusMillis(500)))
                .count();
        assertThat(ran)
                .as("the one running at the cancel, and the few that ran before it")
                .isBetween(1L, 4L);
        assertThat(startedAfterCancel).isZero();
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isEqualTo(NODES - (int) ran);
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
        String waited = nodes.stream()
                .filter(n -> n.executions().isEmpty())
                .findFirst()
                .orElseThrow()
                .id();
        JsonNode attempt =
                api.json("/" + runId + "/nodes/" + waited + "/attempts").get(0);
        assertThat(attempt.get("outcome").asString()).isEqualTo("CANCELLED");
        assertThat(attempt.get("result").get("reason").asString()).isEqualTo("run cancelled before this node started");
        assertThat(limit().get("waiting").asInt()).isZero();
        assertThat(limit().get("max").asInt()).isEqualTo(3);
        assertThat(limit().get("prefetch").asInt()).isEqualTo(3);
    }

    private static JsonNode limit() throws Exception {
        return Contracts.mapper().readTree(system.worker().get("/actuator/limit"));
    }
}
