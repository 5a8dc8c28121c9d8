package io.lazarus.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a rendered object into the Kubernetes object model: fabric8's classes for the core kinds, the records of
 * {@link CustomResources} for the custom ones. A field the model does not have fails, and so does a value of the
 * wrong type: scalars are not coerced ("8080" is no port). fabric8 keeps unknown fields in each object's
 * {@code additionalProperties} rather than refusing them, so every object of the tree is looked at for any.
 */
final class KubernetesObjects {

    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("rabbitmq.com/v1beta1/RabbitmqCluster", CustomResources.RabbitmqCluster.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", CustomResources.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", CustomResources.TriggerAuthentication.class),
            Map.entry("rabbitmq.com/v1beta1/User", CustomResources.User.class),
            Map.entry("rabbitmq.com/v1beta1/Permission", CustomResources.Permission.class),
            Map.entry("rabbitmq.com/v1beta1/TopicPermission", CustomResources.TopicPermission.class),
            Map.entry("rabbitmq.com/v1beta1/Exchange", CustomResources.Exchange.class),
            Map.entry("rabbitmq.com/v1beta1/Queue", CustomResources.Queue.class),
            Map.entry("rabbitmq.com/v1beta1/Binding", CustomResources.Binding.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", CustomResources.PrometheusRule.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", CustomResources.PodMonitor.class));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private KubernetesObjects() {}

    /** The typed object; fails naming the object and the offending field. */
    static Object read(Map<String, Object> object) {
        String type = object.get("apiVersion") + "/" + object.get("kind");
        Class<?> model = TYPES.get(type);
        if (model == null) {
            throw new AssertionError(Kustomize.id(object) + ": " + type + " is not a kind these manifests may use");
        }
        Object typed;
        try {
            typed = MAPPER.convertValue(object, model);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(
                    Kustomize.id(object) + " does not fit " + model.getSimpleName() + ": " + e.getMessage(), e);
        }
        requireNoUnknownFields(typed, Kustomize.id(object));
        return typed;
    }

    @SuppressWarnings("unchecked")
    private static void requireNoUnknownFields(Object value, String path) {
        if (value == null
                || value instanceof String
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Enum
                || value instanceof com.fasterxml.jackson.databind.JsonNode) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                requireNoUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> requireNoUnknownFields(v, path + "." + k));
            return;
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                requireNoUnknownFields(invoke(component, value), path + "." + component.getName());
            }
            return;
        }
        for (Class<?> c = type; c != null && c.getName().startsWith("io.fabric8"); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = get(field, value);
                if (field.getName().equals("additionalProperties")) {
                    Map<String, Object> unknown = (Map<String, Object>) fieldValue;
                    if (unknown != null && !unknown.isEmpty()) {
                        throw new AssertionError(
                                path + ": unknown field(s) " + unknown.keySet() + " in " + type.getSimpleName());
                    }
                } else {
                    requireNoUnknownFields(fieldValue, path + "." + field.getName());
                }
            }
        }
    }

    private static Object get(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> kinds() {
        return TYPES.keySet().stream().sorted().toList();
    }
}
