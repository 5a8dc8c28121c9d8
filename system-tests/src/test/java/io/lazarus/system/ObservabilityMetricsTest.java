package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Every metric the Grafana dashboard and the alert rules (observability/) ask for is one a real run exports: a run
 * through the coordinator service to a real worker and sshd fleet, then both {@code /actuator/prometheus} scraped.
 */
class ObservabilityMetricsTest {

    private static final String TOKEN = "test-token-0123456789";
    private static final Pattern METRIC = Pattern.compile("\\b(?:lazarus|jvm|rabbitmq)_[a-z0-9_]+\\b");

    /**
     * RabbitMQ's Prometheus plugin with per-object metrics on (prometheus.return_per_object_metrics, set in k8s/ and
     * docker/rabbitmq): the metrics the files use, as its metrics.md (rabbitmq-server deps/rabbitmq_prometheus) lists
     * them. Checked against this list, not a broker: the tests' brokers run without the plugin.
     */
    private static final Set<String> RABBITMQ_PLUGIN =
            Set.of("rabbitmq_queue_messages", "rabbitmq_queue_messages_ready", "rabbitmq_queue_consumers");

    /** Registered at their first occurrence, which no run here makes: each with the test that scrapes it then. */
    private static final Map<String, String> FIRST_OCCURRENCE =
            Map.of("lazarus_ec2_throttled_calls_total", "Ec2ThrottlingTest (an EC2 endpoint that throttles)");

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("obs-ok", NodeBehavior.succeed()).node("obs-apt", NodeBehavior.aptFailure()))
            .worker(Map.of());

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsExportedAfterARun() throws Exception {
        ServiceProcess service = system.startService(Map.of("LAZARUS_SERVICE_API_TOKEN", TOKEN));
        ServiceApi api = ServiceApi.at("http://127.0.0.1:" + service.port() + "/api/runs", TOKEN);
        String inventory = line("obs-ok") + "\\n" + line("obs-apt");
        HttpResponse<String> created =
                api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"apt-get install -y tomcat9\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode end = api.awaitEnd(
                Contracts.mapper().readTree(created.body()).get("runId").asString());
        assertThat(end.get("state").asString()).isEqualTo("FINISHED");

        String worker = system.worker().get("/actuator/prometheus");
        String coordinator = service.metrics();
        Set<String> used = used();

        assertThat(used)
                .as("metrics of the dashboard and the rules")
                .contains(
                        "lazarus_ssh_connect_seconds_bucket",
                        "lazarus_coordinator_event_ingest_lag_seconds_bucket",
                        "rabbitmq_queue_messages",
                        "jvm_memory_used_bytes")
                .containsAll(FIRST_OCCURRENCE.keySet());
        for (String name : used) {

            if (name.startsWith("rabbitmq_")) {
                assertThat(RABBITMQ_PLUGIN)
                        .as(name + ": from RabbitMQ's Prometheus plugin")
                        .contains(name);
            } else if (!FIRST_OCCURRENCE.containsKey(name)) {
                assertThat(exported(worker, name) || exported(coordinator, name))
                        .as(name + " in the worker's or the coordinator service's /actuator/prometheus")
                        .isTrue();
            }
        }
        // the selectors the rules and the dashboard put on them match too
        assertThat(worker)
                .contains("jvm_memory_max_bytes{application=\"lazarus-worker\",area=\"heap\"")
                .containsPattern(
                        "lazarus_worker_outcomes_total\\{application=\"lazarus-worker\",outcome=\"COMMAND_FAILED\"} 1");
        assertThat(coordinator)
                .contains("lazarus_coordinator_runs{application=\"lazarus-coordinator\",state=\"RUNNING\"}");
    }

    /** The metric names the dashboard and the alert rules name (crudely: identifiers with these prefixes). */
    private static Set<String> used() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Set<String> names = new TreeSet<>();
        for (String file :
                List.of("observability/grafana/lazarus.json", "observability/prometheus/lazarus-rules.yml")) {
            METRIC.matcher(Files.readString(root.resolve(file)))
                    .results()
                    .map(MatchResult::group)
                    .forEach(names::add);
        }
        return names;
    }

    private static boolean exported(String scrape, String name) {
        return Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find();
    }

    private static String line(String nodeId) {
        return system.fleet().node(nodeId).inventoryLine(LazarusSystem.USER);
    }
}
