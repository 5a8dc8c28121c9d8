package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.lazarus.deploy.CustomResources.RabbitmqCluster;
import io.lazarus.deploy.CustomResources.ScaledObject;
import io.lazarus.deploy.CustomResources.TriggerAuthentication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/ rendered as {@code kubectl apply -k} would (by {@link Kustomize}, no cluster needed): every object
 * fits the Kubernetes object model with no unknown field, every name it refers to exists or is one made out of band,
 * and the workers outwait their nodes.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Repository.file("k8s");
    /** Made by hand before the first apply (README "Kubernetes"), or by an operator, in every overlay. */
    private static final Set<String> OUT_OF_BAND = Set.of(
            "Secret lazarus-ssh",
            "Secret lazarus-api-token",
            "ConfigMap lazarus-known-hosts",
            "ConfigMap lazarus-run-web",
            "Secret lazarus-signing",
            "ConfigMap lazarus-trusted-keys",
            "Secret lazarus-script-secrets");
    /**
     * Production's, on top: a managed database, KEDA's view of the broker, the operator's credentials, and the
     * broker's TLS certificate and CA.
     */
    private static final Set<String> OUT_OF_BAND_IN_PRODUCTION = Set.of(
            "Secret lazarus-registry",
            "Secret lazarus-keda-rabbitmq",
            "Secret lazarus-rabbitmq-default-user",
            "Secret lazarus-rabbitmq-tls",
            "Secret lazarus-rabbitmq-ca",
            "Secret lazarus-rabbitmq-coordinator",
            "Secret lazarus-rabbitmq-worker",
            "Secret lazarus-rabbitmq-monitoring");

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/production"})
    void everyObjectFitsTheKubernetesModelWithNoUnknownField(String directory) {
        List<Map<String, Object>> objects = Kustomize.build(K8S.resolve(directory));

        assertThat(objects).isNotEmpty().allSatisfy(object -> {
            KubernetesObjects.read(object);
            assertThat(Maps.string(object, "metadata", "namespace"))
                    .as(Kustomize.id(object))
                    .isEqualTo(object.get("kind").equals("Namespace") ? null : "lazarus");
            assertThat(Maps.string(object, "metadata", "labels", "app.kubernetes.io/part-of"))
                    .isEqualTo("lazarus");
        });
    }

    @Test
    void theJobThatEnqueuesARunFitsTheModelAndIsNeverRetried() {
        List<Map<String, Object>> documents = YamlFiles.documents(K8S.resolve("jobs/enqueue-run.yaml"));

        assertThat(documents).singleElement().satisfies(document -> {
            Job job = (Job) KubernetesObjects.read(document);
            assertThat(job.getSpec().getBackoffLimit())
                    .as("a retry would enqueue the run again")
                    .isZero();
            assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry("lazarus.io/api-client", "true");
            assertThat(job.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .getFirst()
                            .getArgs())
                    .containsSubsequence("run", "--server", "http://lazarus-coordinator:8080")
                    // plain http to another host is refused without it (README "Service mode")
                    .contains("--wait", "--insecure");
        });
    }

    @Test
    void everyManifestFileIsUsedByAnOverlayOrIsAJobTemplate() throws IOException {
        Set<String> rendered = new HashSet<>();
        for (String overlay : List.of("overlays/dev", "overlays/production")) {
            Kustomize.build(K8S.resolve(overlay)).forEach(o -> rendered.add(Kustomize.id(o)));
        }
        try (Stream<Path> files = Files.walk(K8S)) {
            List<Path> manifests = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !f.startsWith(K8S.resolve("jobs")))
                    .toList();
            assertThat(manifests)
                    .isNotEmpty()
                    .allSatisfy(file -> assertThat(YamlFiles.documents(file))
                            .allSatisfy(document ->
                                    assertThat(rendered).as(file.toString()).contains(Kustomize.id(document))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void everyNameAnObjectRefersToExists(String overlay) {
        Rendered rendered = new Rendered(Kustomize.build(K8S.resolve(overlay)));
        Set<String> outOfBand = new HashSet<>(OUT_OF_BAND);
        if (overlay.endsWith("production")) {
            outOfBand.addAll(OUT_OF_BAND_IN_PRODUCTION);
        }

        for (PodTemplateSpec template : rendered.templates()) {
            for (Container container : template.getSpec().getContainers()) {
                Set<String> ports = new HashSet<>();
                container.getPorts().forEach(p -> ports.add(p.getName()));
                Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                        .filter(p -> p != null && p.getHttpGet() != null)
                        .forEach(p -> assertThat(ports)
                                .as(container.getName() + " probe port")
                                .contains(p.getHttpGet().getPort().getStrVal()));
                container.getEnv().stream()
                        .filter(e ->
                                e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> rendered.requireKey(
                                "Secret",
                                e.getValueFrom().getSecretKeyRef().getName(),
                                e.getValueFrom().getSecretKeyRef().getKey(),
                                outOfBand));
                container.getEnvFrom().stream()
                        .filter(e -> e.getConfigMapRef() != null)
                        .forEach(e -> rendered.requireKey(
                                "ConfigMap", e.getConfigMapRef().getName(), null, outOfBand));
            }
            template.getSpec().getVolumes().forEach(v -> {
                if (v.getSecret() != null) {
                    rendered.requireKey("Secret", v.getSecret().getSecretName(), null, outOfBand);
                }
                if (v.getConfigMap() != null) {
                    rendered.requireKey("ConfigMap", v.getConfigMap().getName(), null, outOfBand);
                }
            });
        }
        for (Object object : rendered.typed) {
            switch (object) {
                case Deployment d ->
                    assertThat(matches(d.getSpec().getSelector(), d.getSpec().getTemplate()))
                            .isTrue();
                case StatefulSet s -> {
                    assertThat(matches(s.getSpec().getSelector(), s.getSpec().getTemplate()))
                            .isTrue();
                    assertThat(rendered.names("Service")).contains(s.getSpec().getServiceName());
                }
                case Service s ->
                    assertThat(rendered.podsMatching(s.getSpec().getSelector()))
                            .as("pods of " + s.getMetadata().getName())
                            .isPositive();
                case PodDisruptionBudget p ->
                    assertThat(rendered.podsMatching(p.getSpec().getSelector().getMatchLabels()))
                            .isPositive();
                case NetworkPolicy n -> {
                    Map<String, String> selected = n.getSpec().getPodSelector().getMatchLabels();
                    if (selected != null && !selected.isEmpty()) {
                        assertThat(rendered.podsMatching(selected))
                                .as("pods of policy " + n.getMetadata().getName())
                                .isPositive();
                    }
                }
                case HorizontalPodAutoscaler h ->
                    assertThat(rendered.names(h.getSpec().getScaleTargetRef().getKind()))
                            .contains(h.getSpec().getScaleTargetRef().getName());
                case ScaledObject s -> {
                    assertThat(rendered.names("Deployment"))
                            .contains(s.spec().scaleTargetRef().name());
                    s.spec()
                            .triggers()
                            .forEach(t -> assertThat(rendered.names("TriggerAuthentication"))
                                    .contains(t.authenticationRef().name()));
                }
                case RabbitmqCluster c
                when c.spec().tls() != null -> {
                    rendered.requireKey("Secret", c.spec().tls().secretName(), null, outOfBand);
                    if (c.spec().tls().caSecretName() != null) {
                        rendered.requireKey("Secret", c.spec().tls().caSecretName(), null, outOfBand);
                    }
                }
                case TriggerAuthentication t ->
                    t.spec()
                            .secretTargetRef()
                            .forEach(r -> rendered.requireKey("Secret", r.name(), r.key(), outOfBand));
                case CustomResources.User u -> {
                    assertThat(rendered.names("RabbitmqCluster"))
                            .contains(u.spec().rabbitmqClusterReference().name());
                    rendered.requireKey(
                            "Secret", u.spec().importCredentialsSecret().getName(), null, outOfBand);
                }
                case CustomResources.Permission p -> {
                    assertThat(rendered.names("RabbitmqCluster"))
                            .contains(p.spec().rabbitmqClusterReference().name());
                    assertThat(rendered.names("User"))
                            .contains(p.spec().userReference().getName());
                }
                case CustomResources.TopicPermission p -> {
                    assertThat(rendered.names("RabbitmqCluster"))
                            .contains(p.spec().rabbitmqClusterReference().name());
                    assertThat(rendered.names("User"))
                            .contains(p.spec().userReference().getName());
                    assertThat(rendered.typed)
                            .anySatisfy(e -> assertThat(e)
                                    .isInstanceOfSatisfying(
                                            CustomResources.Exchange.class,
                                            x -> assertThat(x.spec().name())
                                                    .isEqualTo(p.spec()
                                                            .permissions()
                                                            .exchange())));
                }
                case CustomResources.Binding b -> {
                    assertThat(rendered.names("RabbitmqCluster"))
                            .contains(b.spec().rabbitmqClusterReference().name());
                    assertThat(rendered.typed)
                            .anySatisfy(e -> assertThat(e)
                                    .isInstanceOfSatisfying(
                                            CustomResources.Exchange.class,
                                            x -> assertThat(x.spec().name())
                                                    .isEqualTo(b.spec().source())));
                    assertThat(rendered.typed)
                            .anySatisfy(q -> assertThat(q)
                                    .isInstanceOfSatisfying(
                                            CustomResources.Queue.class,
                                            x -> assertThat(x.spec().name())
                                                    .isEqualTo(b.spec().destination())));
                }
                default -> {}
            }
        }
    }

    /**
     * Production: the coordinator and the workers log in as their own users (the Secrets their User resources import)
     * and declare nothing; every role has its Permission; KEDA reads the queue as the monitoring user.
     */
    @Test
    void inProductionEachComponentLogsInAsItsOwnBrokerUserAndKedaAsMonitoring() {
        Rendered rendered = new Rendered(Kustomize.build(K8S.resolve("overlays/production")));
        Map<String, String> secretOfUser = new java.util.HashMap<>();
        rendered.typed.forEach(o -> {
            if (o instanceof CustomResources.User u) {
                secretOfUser.put(
                        u.metadata().getName(),
                        u.spec().importCredentialsSecret().getName());
            }
        });
        assertThat(secretOfUser).containsOnlyKeys("lazarus-coordinator", "lazarus-worker", "lazarus-monitoring");
        for (String role : List.of("coordinator", "worker")) {
            Deployment deployment = rendered.typed.stream()
                    .filter(Deployment.class::isInstance)
                    .map(Deployment.class::cast)
                    .filter(d -> d.getMetadata().getName().equals("lazarus-" + role))
                    .findFirst()
                    .orElseThrow();
            Map<String, io.fabric8.kubernetes.api.model.EnvVar> env = new java.util.HashMap<>();
            deployment
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getEnv()
                    .forEach(e -> assertThat(env.put(e.getName(), e))
                            .as(role + " sets " + e.getName() + " once")
                            .isNull());
            assertThat(env.get("SPRING_RABBITMQ_USERNAME")
                            .getValueFrom()
                            .getSecretKeyRef()
                            .getName())
                    .isEqualTo(secretOfUser.get("lazarus-" + role));
            assertThat(env.get("SPRING_RABBITMQ_PASSWORD")
                            .getValueFrom()
                            .getSecretKeyRef()
                            .getName())
                    .isEqualTo(secretOfUser.get("lazarus-" + role));
            assertThat(env.get("LAZARUS_TOPOLOGY_DECLARE").getValue()).isEqualTo("false");
        }
        List<String> permitted = rendered.typed.stream()
                .filter(CustomResources.Permission.class::isInstance)
                .map(p ->
                        ((CustomResources.Permission) p).spec().userReference().getName())
                .toList();
        assertThat(permitted).containsExactlyInAnyOrderElementsOf(secretOfUser.keySet());
        TriggerAuthentication keda = rendered.typed.stream()
                .filter(TriggerAuthentication.class::isInstance)
                .map(TriggerAuthentication.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(keda.spec().secretTargetRef())
                .anySatisfy(r -> {
                    assertThat(r.parameter()).isEqualTo("username");
                    assertThat(r.name()).isEqualTo(secretOfUser.get("lazarus-monitoring"));
                })
                .anySatisfy(r -> {
                    assertThat(r.parameter()).isEqualTo("password");
                    assertThat(r.name()).isEqualTo(secretOfUser.get("lazarus-monitoring"));
                });
    }

    /**
     * The drain on SIGTERM waits at most the shutdown grace, which covers the longest node; Kubernetes waits longer
     * still before it kills; the broker takes a delivery back only after all of that.
     */
    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void workersOutwaitTheirNodesAndTheBrokerOutwaitsTheWorkers(String overlay) {
        Rendered rendered = new Rendered(Kustomize.build(K8S.resolve(overlay)));
        Map<String, String> settings =
                rendered.one(ConfigMap.class, "lazarus-worker").getData();
        Duration nodeDeadline = duration(settings.get("LAZARUS_WATCHDOG_NODE_DEADLINE"));
        Duration maxNodeDeadline = duration(settings.get("LAZARUS_WATCHDOG_MAX_NODE_DEADLINE"));
        Duration grace = duration(settings.get("LAZARUS_WORKER_SHUTDOWN_GRACE"));
        Deployment worker = rendered.one(Deployment.class, "lazarus-worker");
        Duration kubernetesGrace =
                Duration.ofSeconds(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());

        assertThat(nodeDeadline).isLessThanOrEqualTo(maxNodeDeadline).isLessThanOrEqualTo(grace);
        assertThat(kubernetesGrace).isGreaterThan(grace.plusMinutes(1));
        assertThat(worker.getSpec().getReplicas())
                .as("the autoscaler owns the replicas")
                .isNull();
        assertThat(Duration.ofMillis(consumerTimeout(rendered))).isGreaterThan(maxNodeDeadline);
    }

    /**
     * Production runs two coordinator replicas on one registry (runs followed under leases): rolled one at a time, kept
     * at one at least through a drain, and each client sent to one replica (the dashboard's sign-in is in its memory).
     */
    @Test
    void inProductionTwoCoordinatorReplicasRollOneAtATimeUnderABudgetWithStickyClients() {
        Rendered rendered = new Rendered(Kustomize.build(K8S.resolve("overlays/production")));
        Deployment coordinator = rendered.one(Deployment.class, "lazarus-coordinator");
        PodDisruptionBudget budget = rendered.one(PodDisruptionBudget.class, "lazarus-coordinator");
        Service service = rendered.one(Service.class, "lazarus-coordinator");

        assertThat(coordinator.getSpec().getReplicas()).isEqualTo(2);
        assertThat(coordinator.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(coordinator
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(matches(budget.getSpec().getSelector(), coordinator.getSpec().getTemplate()))
                .as("the budget selects the coordinator's pods")
                .isTrue();
        assertThat(service.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
        assertThat(rendered.one(Deployment.class, "lazarus-coordinator")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getEnv())
                .as("the replicas share the managed PostgreSQL, not a file of their own")
                .anySatisfy(env -> assertThat(env.getName()).isEqualTo("SPRING_DATASOURCE_URL"));
        Deployment dev =
                new Rendered(Kustomize.build(K8S.resolve("overlays/dev"))).one(Deployment.class, "lazarus-coordinator");
        assertThat(dev.getSpec().getReplicas()).as("dev keeps one").isEqualTo(1);
    }

    /** KEDA and the HPA aim at one prefetch of messages per worker, counting the unacknowledged ones (http). */
    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void theAutoscalerTargetsOnePrefetchOfMessagesPerWorker(String overlay) {
        Rendered rendered = new Rendered(Kustomize.build(K8S.resolve(overlay)));
        String prefetch =
                rendered.one(ConfigMap.class, "lazarus-worker").getData().get("LAZARUS_WORKER_PREFETCH");

        List<ScaledObject> keda = rendered.all(ScaledObject.class);
        List<HorizontalPodAutoscaler> hpa = rendered.all(HorizontalPodAutoscaler.class);
        assertThat(keda.size() + hpa.size()).as("one autoscaler").isOne();
        keda.forEach(s -> assertThat(s.spec().triggers()).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo("rabbitmq");
            assertThat(CustomResources.RABBITMQ_TRIGGER_METADATA)
                    .containsAll(t.metadata().keySet());
            assertThat(t.metadata())
                    .containsEntry("protocol", "http")
                    .containsEntry("queueName", "lazarus.install")
                    .containsEntry("mode", "QueueLength")
                    .containsEntry("value", prefetch);
        }));
        hpa.forEach(h -> assertThat(h.getSpec().getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getExternal().getMetric().getSelector().getMatchLabels())
                    .containsEntry("queue", "lazarus.install");
            assertThat(m.getExternal().getTarget().getAverageValue().toString()).isEqualTo(prefetch);
        }));
    }

    private static boolean matches(LabelSelector selector, PodTemplateSpec template) {
        return template.getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(selector.getMatchLabels().entrySet());
    }

    private static long consumerTimeout(Rendered rendered) {
        StringBuilder config = new StringBuilder();
        rendered.all(ConfigMap.class).forEach(c -> config.append(c.getData().getOrDefault("rabbitmq.conf", "")));
        rendered.all(RabbitmqCluster.class)
                .forEach(c -> config.append(c.spec().rabbitmq().additionalConfig()));
        Matcher timeout = Pattern.compile("consumer_timeout\\s*=\\s*(\\d+)").matcher(config);
        assertThat(timeout.find())
                .as("consumer_timeout set in the broker's configuration")
                .isTrue();
        return Long.parseLong(timeout.group(1));
    }

    private static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)([smh])").matcher(value);
        assertThat(m.matches()).as(value).isTrue();
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** An overlay's objects, typed, with the pods they make (an operator's RabbitmqCluster makes its own). */
    private static final class Rendered {
        final List<Map<String, Object>> objects;
        final List<Object> typed = new ArrayList<>();

        Rendered(List<Map<String, Object>> objects) {
            this.objects = objects;
            objects.forEach(o -> typed.add(KubernetesObjects.read(o)));
        }

        <T> List<T> all(Class<T> type) {
            return typed.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T> T one(Class<T> type, String name) {
            return objects.stream()
                    .filter(o -> name.equals(Maps.string(o, "metadata", "name")))
                    .map(KubernetesObjects::read)
                    .filter(type::isInstance)
                    .map(type::cast)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
        }

        Set<String> names(String kind) {
            Set<String> names = new HashSet<>();
            objects.stream()
                    .filter(o -> kind.equals(o.get("kind")))
                    .forEach(o -> names.add(Maps.string(o, "metadata", "name")));
            return names;
        }

        List<PodTemplateSpec> templates() {
            List<PodTemplateSpec> templates = new ArrayList<>();
            all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
            all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
            return templates;
        }

        /** Pods whose labels include {@code labels}: pod templates, the operator's broker pods, the run jobs. */
        long podsMatching(Map<String, String> labels) {
            List<Map<String, String>> pods = new ArrayList<>();
            templates().forEach(t -> pods.add(t.getMetadata().getLabels()));
            all(RabbitmqCluster.class)
                    .forEach(c -> pods.add(
                            Map.of("app.kubernetes.io/name", c.metadata().getName())));
            YamlFiles.documents(K8S.resolve("jobs/enqueue-run.yaml"))
                    .forEach(j -> pods.add(((Job) KubernetesObjects.read(j))
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()));
            return pods.stream()
                    .filter(p -> p.entrySet().containsAll(labels.entrySet()))
                    .count();
        }

        /** The Secret or ConfigMap exists here (with {@code key}, if given) or is one made out of band. */
        void requireKey(String kind, String name, String key, Set<String> outOfBand) {
            if (outOfBand.contains(kind + " " + name)) {
                return;
            }
            Object object = kind.equals("Secret") ? one(Secret.class, name) : one(ConfigMap.class, name);
            Map<String, String> data = object instanceof Secret s ? s.getData() : ((ConfigMap) object).getData();
            if (key != null) {
                assertThat(data).as(kind + " " + name).containsKey(key);
            }
        }
    }
}
