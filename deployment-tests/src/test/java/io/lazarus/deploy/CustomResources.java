package io.lazarus.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;
import java.util.Map;

/**
 * The custom resources the manifests use, as typed records written from their CRDs, so that a misspelt or misplaced
 * field fails like one in a core object. Fields the CRDs leave free-form ({@code override}, {@code secretBackend},
 * KEDA's {@code scalingModifiers} and vault sections) stay JSON; Kubernetes types inside them are fabric8's.
 */
final class CustomResources {

    private CustomResources() {}

    /** {@code rabbitmq.com/v1beta1} RabbitmqCluster of the RabbitMQ Cluster Operator. */
    record RabbitmqCluster(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                Integer replicas,
                String image,
                List<LocalObjectReference> imagePullSecrets,
                ServiceSpec service,
                Persistence persistence,
                ResourceRequirements resources,
                Affinity affinity,
                List<Toleration> tolerations,
                Rabbitmq rabbitmq,
                Tls tls,
                JsonNode override,
                Boolean skipPostDeploySteps,
                Long terminationGracePeriodSeconds,
                Integer delayStartSeconds,
                JsonNode secretBackend,
                Boolean autoEnableAllFeatureFlags) {}

        record ServiceSpec(String type, Map<String, String> annotations, String ipFamilyPolicy) {}

        record Persistence(String storageClassName, Quantity storage) {}

        record Rabbitmq(
                List<String> additionalPlugins,
                String additionalConfig,
                String advancedConfig,
                String envConfig,
                String erlangInetConfig) {}

        record Tls(String secretName, String caSecretName, Boolean disableNonTLSListeners) {}
    }

    /** {@code keda.sh/v1alpha1} ScaledObject. */
    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                ScaleTargetRef scaleTargetRef,
                Integer pollingInterval,
                Integer cooldownPeriod,
                Integer initialCooldownPeriod,
                Integer idleReplicaCount,
                Integer minReplicaCount,
                Integer maxReplicaCount,
                Fallback fallback,
                Advanced advanced,
                List<Trigger> triggers) {}

        record ScaleTargetRef(String name, String apiVersion, String kind, String envSourceContainerName) {}

        record Fallback(Integer failureThreshold, Integer replicas, String behavior) {}

        record Advanced(
                Boolean restoreToOriginalReplicaCount,
                HpaConfig horizontalPodAutoscalerConfig,
                JsonNode scalingModifiers) {}

        record HpaConfig(String name, HorizontalPodAutoscalerBehavior behavior) {}

        record Trigger(
                String type,
                String name,
                Map<String, String> metadata,
                AuthenticationRef authenticationRef,
                String metricType,
                Boolean useCachedMetrics) {}

        record AuthenticationRef(String name, String kind) {}
    }

    /** {@code keda.sh/v1alpha1} TriggerAuthentication. */
    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                List<SecretTargetRef> secretTargetRef,
                List<EnvRef> env,
                JsonNode podIdentity,
                JsonNode hashiCorpVault,
                JsonNode azureKeyVault,
                JsonNode gcpSecretManager,
                JsonNode awsSecretManager,
                JsonNode configMapTargetRef,
                JsonNode boundServiceAccountToken) {}

        record SecretTargetRef(String parameter, String name, String key) {}

        record EnvRef(String parameter, String name, String containerName) {}
    }

    /** {@code rabbitmq.com/v1beta1} kinds of the RabbitMQ Messaging Topology Operator: which cluster they act on. */
    record ClusterReference(String name, String namespace, LocalObjectReference connectionSecret) {}

    /** {@code rabbitmq.com/v1beta1} User. */
    record User(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                List<String> tags,
                ClusterReference rabbitmqClusterReference,
                LocalObjectReference importCredentialsSecret) {}
    }

    /** {@code rabbitmq.com/v1beta1} Permission: one user's configure, write and read in one vhost. */
    record Permission(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String vhost,
                String user,
                LocalObjectReference userReference,
                Rights permissions,
                ClusterReference rabbitmqClusterReference) {}

        record Rights(String configure, String write, String read) {}
    }

    /** {@code rabbitmq.com/v1beta1} TopicPermission: one user's routing keys on one topic exchange. */
    record TopicPermission(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String vhost,
                String user,
                LocalObjectReference userReference,
                Rights permissions,
                ClusterReference rabbitmqClusterReference) {}

        record Rights(String exchange, String write, String read) {}
    }

    /** {@code rabbitmq.com/v1beta1} Exchange. */
    record Exchange(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String name,
                String vhost,
                String type,
                Boolean durable,
                Boolean autoDelete,
                Map<String, Object> arguments,
                ClusterReference rabbitmqClusterReference) {}
    }

    /** {@code rabbitmq.com/v1beta1} Queue. */
    record Queue(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String name,
                String vhost,
                String type,
                Boolean durable,
                Boolean autoDelete,
                Boolean exclusive,
                Map<String, Object> arguments,
                String deletionPolicy,
                ClusterReference rabbitmqClusterReference) {}
    }

    /** {@code rabbitmq.com/v1beta1} Binding. */
    record Binding(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String vhost,
                String source,
                String destination,
                String destinationType,
                String routingKey,
                Map<String, Object> arguments,
                ClusterReference rabbitmqClusterReference) {}
    }

    /** The metadata keys KEDA's rabbitmq scaler reads. */
    static final java.util.Set<String> RABBITMQ_TRIGGER_METADATA = java.util.Set.of(
            "host",
            "hostFromEnv",
            "protocol",
            "mode",
            "value",
            "activationValue",
            "queueName",
            "vhostName",
            "useRegex",
            "excludeUnacknowledged",
            "pageSize",
            "operation",
            "timeout",
            "unsafeSsl");

    /** {@code monitoring.coreos.com/v1} PrometheusRule of the Prometheus Operator. */
    record PrometheusRule(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(List<RuleGroup> groups) {}

        record RuleGroup(
                String name,
                String interval,
                String limit,
                @JsonProperty("query_offset") String queryOffset,
                @JsonProperty("partial_response_strategy") String partialResponseStrategy,
                List<Rule> rules) {}

        record Rule(
                String alert,
                String record,
                String expr,
                @JsonProperty("for") String pending,
                @JsonProperty("keep_firing_for") String keepFiringFor,
                Map<String, String> labels,
                Map<String, String> annotations) {}
    }

    /** {@code monitoring.coreos.com/v1} PodMonitor of the Prometheus Operator. */
    record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

        record Spec(
                String jobLabel,
                LabelSelector selector,
                JsonNode namespaceSelector,
                List<Endpoint> podMetricsEndpoints) {}

        record Endpoint(String port, String path, String scheme, String interval, String scrapeTimeout) {}
    }
}
