package io.lazarus.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize (v5) that the manifests under k8s/ use, so that CI, which has no kubectl, can render every
 * overlay: resources (files and kustomization folders), components, namespace, labels (with includeTemplates),
 * images, patches (strategic merge, aimed by the patch's own kind and name) and secret and config map generators from
 * literals without name suffixes. A field or form it does not know fails the build: teach it here first.
 * {@link KubernetesManifestsTest} compares its output with {@code kubectl kustomize} where kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "components", "images", "patches", "generatorOptions", "secretGenerator", "configMapGenerator");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");
    /** Kinds whose pod template kustomize labels with includeTemplates. */
    private static final Set<String> WITH_POD_TEMPLATE = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job");

    private Kustomize() {
    }

    /** The objects {@code kubectl kustomize directory} would print. */
    static List<Map<String, Object>> build(Path directory) {
        List<Map<String, Object>> objects = render(directory, new ArrayList<>(), "Kustomization");
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> object : objects) {
            if (!ids.add(id(object))) {
                throw new AssertionError(directory + ": two objects are " + id(object));
            }
        }
        return objects;
    }

    static String id(Map<String, Object> object) {
        return object.get("apiVersion") + "/" + object.get("kind") + " " + Maps.string(object, "metadata", "name");
    }

    /**
     * A kustomization's resources, then its components applied to them, then its own generators and transformers.
     * A component works on the objects of the kustomization that names it ({@code objects}).
     */
    private static List<Map<String, Object>> render(Path directory, List<Map<String, Object>> objects, String kind) {
        Path file = directory.resolve("kustomization.yaml");
        Map<String, Object> kustomization = YamlFiles.document(file);
        Set<String> unknown = new HashSet<>(kustomization.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty() || !kind.equals(kustomization.get("kind"))) {
            throw new AssertionError(file + ": a " + kind + " with the fields " + FIELDS + " only; found kind "
                    + kustomization.get("kind") + " and " + unknown);
        }
        for (Object resource : list(kustomization, "resources")) {
            Path path = directory.resolve(resource.toString()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path, new ArrayList<>(), "Kustomization"));
            } else {
                objects.addAll(YamlFiles.documents(path));
            }
        }
        for (Object component : list(kustomization, "components")) {
            render(directory.resolve(component.toString()).normalize(), objects, "Component");
        }
        objects.addAll(generated(kustomization, file));
        for (Object patch : list(kustomization, "patches")) {
            patch(objects, directory, Maps.map(patch, file + " patches"));
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            objects.stream().filter(o -> !CLUSTER_SCOPED.contains(o.get("kind")))
                    .forEach(o -> Maps.child(o, "metadata").put("namespace", namespace));
        }
        for (Object labels : list(kustomization, "labels")) {
            label(objects, Maps.map(labels, file + " labels"));
        }
        for (Object image : list(kustomization, "images")) {
            image(objects, Maps.map(image, file + " images"));
        }
        return objects;
    }

    private static List<Object> list(Map<String, Object> kustomization, String field) {
        Object value = kustomization.get(field);
        return value == null ? List.of() : Maps.list(value, field);
    }

    private static List<Map<String, Object>> generated(Map<String, Object> kustomization, Path file) {
        List<Map<String, Object>> generated = new ArrayList<>();
        boolean noSuffix = Boolean.TRUE.equals(Maps.at(kustomization, "generatorOptions", "disableNameSuffixHash"));
        for (String kind : List.of("Secret", "ConfigMap")) {
            for (Object entry : list(kustomization, kind.equals("Secret") ? "secretGenerator" : "configMapGenerator")) {
                Map<String, Object> generator = Maps.map(entry, file + " generator");
                if (!noSuffix || !Set.of("name", "literals").containsAll(generator.keySet())) {
                    throw new AssertionError(file + ": generators here take a name and literals, with"
                            + " generatorOptions.disableNameSuffixHash (no hash suffix to follow in references)");
                }
                Map<String, Object> data = new LinkedHashMap<>();
                for (Object literal : Maps.list(generator.get("literals"), "literals")) {
                    String text = literal.toString();
                    String value = text.substring(text.indexOf('=') + 1);
                    data.put(text.substring(0, text.indexOf('=')), kind.equals("Secret")
                            ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value);
                }
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("apiVersion", "v1");
                object.put("kind", kind);
                object.put("metadata", new LinkedHashMap<>(Map.of("name", generator.get("name"))));
                if (kind.equals("Secret")) {
                    object.put("type", "Opaque");
                }
                object.put("data", data);
                generated.add(object);
            }
        }
        return generated;
    }

    /** A strategic merge patch from a file, applied to the one object with its kind and name. */
    private static void patch(List<Map<String, Object>> objects, Path directory, Map<String, Object> patch) {
        if (!Set.of("path").equals(patch.keySet())) {
            throw new AssertionError("patches here name a file (path) and nothing else: " + patch);
        }
        for (Map<String, Object> change : YamlFiles.documents(directory.resolve(patch.get("path").toString()))) {
            List<Map<String, Object>> targets = objects.stream().filter(o -> id(o).equals(id(change))).toList();
            if (targets.size() != 1) {
                throw new AssertionError(patch + ": patches " + targets.size() + " objects named " + id(change));
            }
            merge(targets.getFirst(), change);
        }
    }

    /** Maps merge key by key; lists of named items merge item by name (containers, env, volumes); other lists replace. */
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            Object existing = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (existing instanceof Map && value instanceof Map) {
                merge(Maps.map(existing, key), Maps.map(value, key));
            } else if (existing instanceof List<?> items && value instanceof List<?> changes && named(items)
                    && named(changes)) {
                mergeByName(Maps.list(existing, key), Maps.list(value, key));
            } else {
                target.put(key, Maps.copy(value));
            }
        });
    }

    private static boolean named(List<?> items) {
        return items.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
    }

    /** As kustomize orders them: the patch's items first, in its order (merged into the base's), then the others. */
    private static void mergeByName(List<Object> items, List<Object> changes) {
        List<Object> merged = new java.util.ArrayList<>();
        for (Object change : changes) {
            Map<String, Object> changed = Maps.map(change, "item");
            Object base = items.stream().filter(i -> Maps.map(i, "item").get("name").equals(changed.get("name")))
                    .findFirst().orElse(null);
            if (base != null) {
                items.remove(base);
                merge(Maps.map(base, "item"), changed);
                merged.add(base);
            } else {
                merged.add(Maps.copy(changed));
            }
        }
        merged.addAll(items);
        items.clear();
        items.addAll(merged);
    }

    private static void label(List<Map<String, Object>> objects, Map<String, Object> labels) {
        if (Boolean.TRUE.equals(labels.get("includeSelectors"))) {
            throw new AssertionError("labels with includeSelectors are not rendered here (selectors are immutable)");
        }
        Map<String, Object> pairs = Maps.map(labels.get("pairs"), "labels.pairs");
        boolean templates = Boolean.TRUE.equals(labels.get("includeTemplates"));
        for (Map<String, Object> object : objects) {
            Maps.child(object, "metadata", "labels").putAll(pairs);
            if (templates && WITH_POD_TEMPLATE.contains(object.get("kind"))) {
                Maps.child(object, "spec", "template", "metadata", "labels").putAll(pairs);
                Object claims = Maps.at(object, "spec", "volumeClaimTemplates");
                if (claims != null) {
                    Maps.list(claims, "volumeClaimTemplates")
                            .forEach(c -> Maps.child(Maps.map(c, "claim"), "metadata", "labels").putAll(pairs));
                }
            }
        }
    }

    /** {@code name} (an image without tag or digest) gets {@code newName} and {@code newTag}. */
    private static void image(List<Map<String, Object>> objects, Map<String, Object> image) {
        if (!Set.of("name", "newName", "newTag").containsAll(image.keySet())) {
            throw new AssertionError("images here take name, newName and newTag: " + image);
        }
        for (Map<String, Object> object : objects) {
            for (Map<String, Object> container : containers(object)) {
                String current = container.get("image").toString();
                if (imageName(current).equals(image.get("name"))) {
                    Object name = image.getOrDefault("newName", imageName(current));
                    Object tag = image.get("newTag");
                    container.put("image", name + (tag != null ? ":" + tag : current.substring(imageName(current).length())));
                }
            }
        }
    }

    /** Every container and init container of an object's pod template. */
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        Object pod = Maps.at(object, "spec", "template", "spec");
        List<Map<String, Object>> containers = new ArrayList<>();
        if (pod instanceof Map<?, ?>) {
            for (String field : List.of("initContainers", "containers")) {
                Object list = Maps.map(pod, "pod").get(field);
                if (list != null) {
                    Maps.list(list, field).forEach(c -> containers.add(Maps.map(c, field)));
                }
            }
        }
        return containers;
    }

    /** {@code registry/repo:tag@digest} without tag and digest (a colon after the last slash starts the tag). */
    static String imageName(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(0, colon) : name;
    }
}
