package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lazarus.deploy.CustomResources.PodMonitor;
import io.lazarus.deploy.CustomResources.PrometheusRule;
import io.lazarus.deploy.CustomResources.RabbitmqCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * observability/: the alert rules pass promtool's check and their unit tests, Kubernetes gets the very same rules and
 * dashboard, and compose's Prometheus and Grafana read them where they are mounted and scrape ports that answer.
 */
class ObservabilityFilesTest {

    private final Path root = Repository.root();
    private final Path prometheus = root.resolve("observability/prometheus");
    private final Path rules = prometheus.resolve("lazarus-rules.yml");
    private final Path dashboard = root.resolve("observability/grafana/lazarus.json");

    @Test
    void theRulesPassPromtoolsCheckAndEveryAlertHasUnitTestsThatPass() throws IOException {
        List<String> alerts = alerts(YamlFiles.document(rules));
        String tests = Files.readString(prometheus.resolve("lazarus-rules.test.yml"));

        assertThat(promtool("check", "rules", rules.getFileName().toString()))
                .contains("SUCCESS: " + alerts.size() + " rules found");
        assertThat(promtool("test", "rules", "lazarus-rules.test.yml")).contains("SUCCESS");
        assertThat(alerts).hasSize(6).allSatisfy(alert -> assertThat(tests).contains("alertname: " + alert));
    }

    /** The PrometheusRule's spec is lazarus-rules.yml, both as written and as kustomize renders it. */
    @Test
    void kubernetesGetsTheSameRulesAndDashboard() throws IOException {
        Map<String, Object> written = YamlFiles.document(prometheus.resolve("prometheus-rule.yaml"));
        List<Map<String, Object>> rendered = Kustomize.build(root.resolve("k8s/overlays/production"));
        Map<String, Object> rule = one(rendered, "PrometheusRule", "lazarus");
        ConfigMap configMap =
                (ConfigMap) KubernetesObjects.read(one(rendered, "ConfigMap", "lazarus-grafana-dashboard"));

        assertThat(written.get("spec")).isEqualTo(YamlFiles.document(rules));
        assertThat(rule.get("spec")).isEqualTo(YamlFiles.document(rules));
        assertThat(KubernetesObjects.read(rule)).isInstanceOf(PrometheusRule.class);
        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(configMap.getData()).containsOnlyKeys("lazarus.json");
        assertThat(configMap.getData().get("lazarus.json")).isEqualTo(Files.readString(dashboard));
    }

    /** Each PodMonitor selects pods that exist and names a port they have. */
    @Test
    void everyPodMonitorScrapesAPortOfPodsThatExist() {
        List<Map<String, Object>> rendered = Kustomize.build(root.resolve("k8s/overlays/production"));
        List<PodMonitor> monitors = rendered.stream()
                .filter(o -> "PodMonitor".equals(o.get("kind")))
                .map(o -> (PodMonitor) KubernetesObjects.read(o))
                .toList();

        assertThat(monitors).hasSize(3).allSatisfy(monitor -> {
            Map<String, String> selector = monitor.spec().selector().getMatchLabels();
            List<String> ports = new ArrayList<>();
            rendered.stream()
                    .filter(o -> "Deployment".equals(o.get("kind")))
                    .map(o -> (Deployment) KubernetesObjects.read(o))
                    .filter(d -> d.getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(selector.entrySet()))
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                    .flatMap(c -> c.getPorts().stream())
                    .map(ContainerPort::getName)
                    .forEach(ports::add);
            rendered.stream()
                    .filter(o -> "RabbitmqCluster".equals(o.get("kind")))
                    .map(o -> (RabbitmqCluster) KubernetesObjects.read(o))
                    // the operator labels the pods with the cluster's name; "prometheus" is its port 15692
                    .filter(c -> selector.equals(
                            Map.of("app.kubernetes.io/name", c.metadata().getName())))
                    .filter(c -> c.spec()
                            .rabbitmq()
                            .additionalConfig()
                            .contains("prometheus.return_per_object_metrics = true"))
                    .forEach(c -> ports.add("prometheus"));
            assertThat(ports)
                    .as(monitor.metadata().getName())
                    .contains(monitor.spec().podMetricsEndpoints().getFirst().port());
        });
    }

    @Test
    void everyPanelAsksTheChosenPrometheus() throws IOException {
        JsonNode json = JsonMapper.builder().build().readTree(dashboard.toFile());

        assertThat(json.get("uid").asText()).isEqualTo("lazarus");
        assertThat(json.get("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.get("targets"))
                    .isNotEmpty()
                    .allSatisfy(t -> assertThat(t.get("expr").asText()).isNotBlank());
        });
    }

    /**
     * docker-compose.yml's observability profile: Prometheus reads the rules where its configuration says, scrapes
     * ports the services listen on, Grafana finds its datasource and the dashboard where its provisioning says.
     */
    @Test
    void composeRunsPrometheusAndGrafanaOnTheseFiles() {
        Map<String, Object> services =
                Maps.map(YamlFiles.document(root.resolve("docker-compose.yml")).get("services"), "services");
        Map<String, String> prometheusMounts = mounts(services, "prometheus");
        Map<String, String> grafanaMounts = mounts(services, "grafana");
        Map<String, Object> config = YamlFiles.document(prometheus.resolve("prometheus.yml"));
        String provider = Maps.string(
                Maps.map(
                        Maps.list(
                                        YamlFiles.document(root.resolve(
                                                        "observability/grafana/provisioning/dashboards/lazarus.yml"))
                                                .get("providers"),
                                        "providers")
                                .getFirst(),
                        "provider"),
                "options",
                "path");
        Map<String, Object> datasource = Maps.map(
                Maps.list(
                                YamlFiles.document(root.resolve(
                                                "observability/grafana/provisioning/datasources/prometheus.yml"))
                                        .get("datasources"),
                                "datasources")
                        .getFirst(),
                "datasource");

        for (String name : List.of("prometheus", "grafana")) {
            assertThat(Maps.list(Maps.map(services.get(name), name).get("profiles"), name))
                    .containsExactly("observability");
        }
        assertThat(prometheusMounts)
                .containsEntry("./observability/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml");
        assertThat(Maps.list(config.get("rule_files"), "rule_files"))
                .containsExactly(prometheusMounts.get("./observability/prometheus/lazarus-rules.yml"));
        assertThat(grafanaMounts)
                .containsEntry("./observability/grafana/provisioning", "/etc/grafana/provisioning")
                .containsEntry("./observability/grafana/lazarus.json", provider + "/lazarus.json");
        assertThat(datasource).containsEntry("url", "http://prometheus:9090").containsEntry("uid", "prometheus");
        assertThat(targets(config)).containsExactlyInAnyOrder("coordinator:8081", "worker:8080", "rabbitmq:15692");
        // the coordinator's /actuator is on loopback (management.server.address) unless told otherwise
        assertThat(Maps.map(Maps.map(services.get("coordinator"), "coordinator").get("environment"), "environment"))
                .containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
        assertThat(read("docker/rabbitmq/20-lazarus.conf")).contains("prometheus.return_per_object_metrics = true");
    }

    private List<String> targets(Map<String, Object> config) {
        List<String> targets = new ArrayList<>();
        for (Object job : Maps.list(config.get("scrape_configs"), "scrape_configs")) {
            Map<String, Object> scrape = Maps.map(job, "scrape_configs");
            for (Object s : list(scrape.get("static_configs"))) {
                list(Maps.map(s, "static_configs").get("targets")).forEach(t -> targets.add(t.toString()));
            }
            for (Object d : list(scrape.get("dns_sd_configs"))) {
                Map<String, Object> dns = Maps.map(d, "dns_sd_configs");
                list(dns.get("names")).forEach(n -> targets.add(n + ":" + dns.get("port")));
            }
        }
        return targets;
    }

    private static Map<String, String> mounts(Map<String, Object> services, String name) {
        return list(Maps.map(services.get(name), name).get("volumes")).stream()
                .map(v -> v.toString().split(":"))
                .collect(Collectors.toMap(p -> p[0], p -> p[1]));
    }

    private static List<Object> list(Object value) {
        return value == null ? List.of() : Maps.list(value, "list");
    }

    private static List<String> alerts(Map<String, Object> rules) {
        return Maps.list(rules.get("groups"), "groups").stream()
                .flatMap(g -> Maps.list(Maps.map(g, "group").get("rules"), "rules").stream())
                .map(r -> Maps.string(Maps.map(r, "rule"), "alert"))
                .toList();
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(Maps.string(o, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private String read(String file) {
        try {
            return Files.readString(root.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What promtool printed, run in observability/prometheus; fails with it unless promtool exits 0. */
    private String promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(prometheus.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "promtool is not installed: bash scripts/test.sh installs it (Debian package prometheus, its"
                            + " server stopped and disabled)",
                    e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(1, TimeUnit.MINUTES))
                    .as(String.join(" ", command))
                    .isTrue();
            assertThat(process.exitValue())
                    .as(String.join(" ", command) + ":\n" + output)
                    .isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + command + " ran", e);
        }
    }
}
