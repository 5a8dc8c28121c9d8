package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lazarus.deploy.CustomResources.RabbitmqCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Production talks AMQP to its broker over TLS only, with the broker's certificate checked against a CA the apps read
 * from a Secret (README "TLS to the broker"); the dev overlay keeps plain AMQP on its one-node broker.
 */
class BrokerTlsManifestsTest {

    private static final Path K8S = Repository.file("k8s");
    private static final String CA_FILE = "/etc/lazarus/rabbitmq-ca/ca.crt";

    @Test
    void theProductionBrokerServesAmqpOverTlsWithItsCertificateAndCaFromSecrets() {
        List<RabbitmqCluster> clusters =
                typed(Kustomize.build(K8S.resolve("overlays/production")), RabbitmqCluster.class);

        assertThat(clusters).singleElement().satisfies(cluster -> {
            assertThat(cluster.spec().tls()).isNotNull();
            assertThat(cluster.spec().tls().secretName()).isEqualTo("lazarus-rabbitmq-tls");
            assertThat(cluster.spec().tls().caSecretName()).isEqualTo("lazarus-rabbitmq-ca");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"lazarus-worker", "lazarus-coordinator"})
    void productionAppsConnectWithAmqpsAndTrustTheCaMountedFromItsSecret(String name) {
        Deployment deployment = deployment("overlays/production", name);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        Map<String, String> env = container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertThat(env)
                .containsEntry("SPRING_RABBITMQ_PORT", "5671")
                .containsEntry("SPRING_RABBITMQ_SSL_ENABLED", "true")
                .containsEntry("SPRING_RABBITMQ_SSL_BUNDLE", "broker")
                .containsEntry("SPRING_SSL_BUNDLE_PEM_BROKER_TRUSTSTORE_CERTIFICATE", "file:" + CA_FILE);
        assertThat(env.keySet())
                .as("peer and host-name verification stay Spring Boot's default: on")
                .noneMatch(k -> k.contains("VERIFY_HOSTNAME") || k.contains("VALIDATE_SERVER_CERTIFICATE"));
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> CA_FILE.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("lazarus-rabbitmq-ca");
    }

    @Test
    void productionNetworkPoliciesAreTheBasesWithAmqpOnTheTlsPortOnly() {
        Map<String, Object> base = policies("base");
        Map<String, Object> production = policies("overlays/production");

        assertThat(production.keySet()).isEqualTo(base.keySet());
        assertThat(production.toString()).doesNotContain("port=5672");
        assertThat(production.toString()).isEqualTo(base.toString().replace("port=5672", "port=5671"));
    }

    @Test
    void theDevOverlayKeepsPlainAmqpOnItsOneNodeBroker() {
        Deployment worker = deployment("overlays/dev", "lazarus-worker");

        assertThat(worker.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getEnv())
                .noneMatch(e -> e.getName().startsWith("SPRING_RABBITMQ_SSL"));
        Map<String, Object> base = policies("base");
        Map<String, Object> dev = policies("overlays/dev");
        dev.keySet().retainAll(base.keySet());
        assertThat(dev.toString()).isEqualTo(base.toString());
    }

    private static Deployment deployment(String overlay, String name) {
        return typed(Kustomize.build(K8S.resolve(overlay)), Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Each NetworkPolicy's spec, by name. */
    private static Map<String, Object> policies(String directory) {
        return Kustomize.build(K8S.resolve(directory)).stream()
                .filter(o -> "NetworkPolicy".equals(o.get("kind")))
                .collect(Collectors.toMap(
                        o -> Maps.string(o, "metadata", "name"),
                        o -> o.get("spec"),
                        (a, b) -> a,
                        java.util.TreeMap::new));
    }

    private static <T> List<T> typed(List<Map<String, Object>> objects, Class<T> type) {
        return objects.stream()
                .map(KubernetesObjects::read)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
