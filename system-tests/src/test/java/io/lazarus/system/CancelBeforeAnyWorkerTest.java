package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A worker that starts after a run was cancelled learns it from the notice its follower repeats, before it runs
 * anything: as when workers scale up on the queue a cancelled run left.
 */
class CancelBeforeAnyWorkerTest {

    private static final String TOKEN = "test-token-0123456789";

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create().fleet(fleet -> fleet.nodes(10, NodeBehavior.succeed()));

    @Test
    void aWorkerThatStartsAfterTheCancelRunsNoneOfTheRunsQueuedNodes() throws Exception {
        ServiceProcess service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        ServiceApi api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
        List<SimulatedNode> nodes = system.fleet().nodes();
        String runId = api.createRun(nodes, "true");
        await("the run's 10 nodes are queued")
                .atMost(Duration.ofSeconds(30))
                .until(() -> api.json("/" + runId)
                                .get("reconciliation")
                                .get("manifest")
                                .asInt()
                        == 10);
        assertThat(api.post("/" + runId + "/cancel", "").body()).contains("\"cancelled\":true");
        // the notice of the cancel itself reached no worker: there was none
        Thread.sleep(1_000);

        system.startWorker(Map.of("LAZARUS_WORKER_PREFETCH", "20"));
        JsonNode run = api.awaitEnd(runId);

        assertThat(nodes).allSatisfy(n -> assertThat(n.executions()).as(n.id()).isEmpty());
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isEqualTo(10);
        assertThat(run.get("reconciliation").get("cancelled").asInt()).isEqualTo(10);
        assertThat(run.get("reconciliation").get("balanced").asBoolean()).isTrue();
    }
}
