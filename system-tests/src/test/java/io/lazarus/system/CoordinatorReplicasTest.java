package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.TestPostgres;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two services on one PostgreSQL registry: the one that follows a run dies ({@code kill -9}) or freezes past its lease
 * ({@code SIGSTOP}, then {@code SIGCONT}); the other takes the run over and finishes it, every node released and run
 * once, and the frozen one, woken, releases nothing more.
 */
class CoordinatorReplicasTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final int NODES = 30;
    private static final Duration LEASE = Duration.ofSeconds(6);
    /** The lease runs out, then the survivor's next look (every third of the lease) takes the run; the rest is slack. */
    private static final Duration TAKEOVER_BOUND =
            LEASE.plus(LEASE.dividedBy(3)).plusSeconds(6);

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                for (int i = 0; i < NODES; i++) {
                    fleet.node("kill-%02d".formatted(i), NodeBehavior.install(Duration.ofMillis(1500), 3));
                    fleet.node("stop-%02d".formatted(i), NodeBehavior.install(Duration.ofMillis(1500), 3));
                }
            })
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "100"));

    @Test
    void aRunWhoseServiceIsKilledIsFinishedByTheOtherEveryNodeReleasedAndRunOnce() throws Exception {
        TestPostgres.Schema registry = system.closeAtEnd(TestPostgres.freshSchema());
        ServiceProcess a = replica("replica-a", registry);
        ServiceProcess b = replica("replica-b", registry);
        String runId = start(api(a), "kill-");
        awaitRunning("kill-", 3);

        a.kill();
        long killed = System.nanoTime();
        Duration takeover = awaitFollowedBy(api(b), runId, "replica-b", killed);

        System.out.printf("takeover after kill -9 of the owner: %d ms (lease %s)%n", takeover.toMillis(), LEASE);
        assertThat(takeover).isLessThan(TAKEOVER_BOUND);
        assertFinishedOnce(api(b), runId, "kill-");
        assertThat(b.output()).contains("replica replica-b takes up run " + runId);
    }

    @Test
    void aFrozenOwnerPastItsLeaseIsFencedOutAndReleasesNothingOnceWoken() throws Exception {
        TestPostgres.Schema registry = system.closeAtEnd(TestPostgres.freshSchema());
        ServiceProcess a = replica("replica-a", registry);
        ServiceProcess b = replica("replica-b", registry);
        String runId = start(api(a), "stop-");
        awaitRunning("stop-", 3);

        signal("STOP", a);
        long stopped = System.nanoTime();
        Duration takeover;
        try {
            takeover = awaitFollowedBy(api(b), runId, "replica-b", stopped);
        } finally {
            signal("CONT", a);
        }

        System.out.printf("takeover after SIGSTOP of the owner: %d ms (lease %s)%n", takeover.toMillis(), LEASE);
        assertThat(takeover).isLessThan(TAKEOVER_BOUND);
        await("the woken replica finds its lease lost")
                .atMost(LEASE)
                .until(() -> a.output().contains("replica replica-a lost the lease of run " + runId));
        assertFinishedOnce(api(b), runId, "stop-");
        assertThat(a.isAlive()).as("only its follower stopped").isTrue();
    }

    private static ServiceProcess replica(String id, TestPostgres.Schema registry) throws Exception {
        return system.startService(Map.of(
                "LAZARUS_SERVICE_API_TOKEN",
                TOKEN,
                "LAZARUS_SERVICE_REPLICAID",
                id,
                "LAZARUS_SERVICE_LEASE_DURATION",
                LEASE.toSeconds() + "s",
                "SPRING_DATASOURCE_URL",
                registry.url(),
                "SPRING_DATASOURCE_USERNAME",
                parameter(registry.url(), "user"),
                "SPRING_DATASOURCE_PASSWORD",
                parameter(registry.url(), "password")));
    }

    /** The datasource's user and password are the URL's: the service's defaults are the H2 file's. */
    private static String parameter(String jdbcUrl, String name) {
        Matcher found = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(jdbcUrl);
        return found.find() ? found.group(1) : "";
    }

    private static ServiceApi api(ServiceProcess service) {
        return ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
    }

    /** A run of the nodes with this prefix, three in flight at a time: about 15 s of work. */
    private static String start(ServiceApi api, String prefix) throws Exception {
        String inventory = system.nodes(prefix).stream()
                .map(n -> n.inventoryLine(LazarusSystem.USER))
                .collect(Collectors.joining("\n"));
        HttpResponse<String> created = api.post(
                "",
                Contracts.mapper()
                        .writeValueAsString(
                                Map.of("inventory", inventory, "script", LazarusSystem.INSTALL, "maxInFlight", 3)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();
        assertThat(api.json("/" + runId).get("followedBy").asString())
                .as("the replica that created it follows it")
                .isEqualTo("replica-a");
        return runId;
    }

    private static void awaitRunning(String prefix, int executed) {
        await("the run gets going")
                .atMost(Duration.ofSeconds(60))
                .until(() -> system.nodes(prefix).stream()
                                .filter(n -> !n.executions().isEmpty())
                                .count()
                        >= executed);
    }

    private static Duration awaitFollowedBy(ServiceApi api, String runId, String replica, long since) {
        await(replica + " takes run " + runId + " over")
                .atMost(TAKEOVER_BOUND.plusSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> api.json("/" + runId).get("followedBy"),
                        owner -> owner != null && replica.equals(owner.asString()));
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private static void assertFinishedOnce(ServiceApi api, String runId, String prefix) throws Exception {
        JsonNode end = await("run " + runId + " ends")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> api.json("/" + runId),
                        run -> !run.get("finishedAt").isNull());
        assertThat(end.get("state").asString()).isEqualTo("FINISHED");
        assertThat(end.get("states").get("SUCCEEDED").asInt()).isEqualTo(NODES);
        assertThat(end.get("reconciliation").get("manifest").asInt()).isEqualTo(NODES);
        assertThat(end.get("reconciliation").get("balanced").asBoolean()).isTrue();
        JsonNode owner = end.get("followedBy");
        assertThat(owner == null || owner.isNull())
                .as("nobody follows an ended run: " + owner)
                .isTrue();
        List<SimulatedNode> nodes = system.nodes(prefix);
        assertThat(nodes).hasSize(NODES);
        for (SimulatedNode node : nodes) {
            assertThat(node.executions()).as(node.id() + " ran once").hasSize(1);
            JsonNode attempts = api.json("/" + runId + "/nodes/" + node.id() + "/attempts");
            assertThat(attempts.size()).as(node.id() + " attempts: " + attempts).isEqualTo(1);
        }
    }

    private static void signal(String signal, ServiceProcess service) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }
}
