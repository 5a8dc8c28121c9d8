package io.lazarus.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Navigating and copying YAML trees (maps, lists, scalars), failing with the path when the shape is wrong. */
final class Maps {

    private Maps() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new AssertionError(path + ": expected a mapping, found " + value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String path) {
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new AssertionError(path + ": expected a list, found " + value);
    }

    /** The mapping at {@code keys} below {@code root}, created on the way if missing. */
    static Map<String, Object> child(Map<String, Object> root, String... keys) {
        Map<String, Object> here = root;
        for (String key : keys) {
            here = map(here.computeIfAbsent(key, k -> new LinkedHashMap<>()), key);
        }
        return here;
    }

    /** The value at {@code keys} below {@code root}, or null where any step is missing. */
    static Object at(Map<String, Object> root, String... keys) {
        Object here = root;
        for (String key : keys) {
            if (!(here instanceof Map<?, ?> map)) {
                return null;
            }
            here = map.get(key);
        }
        return here;
    }

    static String string(Map<String, Object> root, String... keys) {
        Object value = at(root, keys);
        return value == null ? null : value.toString();
    }

    /** A deep copy, so that transforming a rendered object never changes the one it came from. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, copy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return value;
    }
}
