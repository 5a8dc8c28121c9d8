package io.lazarus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML read as plain maps, lists and scalars. */
final class YamlFiles {

    private YamlFiles() {}

    /** Every document of {@code file} (a {@code ---} separated stream), empty ones left out; each must be a mapping. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(read(file))) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof Map)) {
                throw new AssertionError(file + ": a document is not a mapping: " + document);
            }
            documents.add((Map<String, Object>) document);
        }
        return documents;
    }

    /** The one document of {@code file}. */
    static Map<String, Object> document(Path file) {
        List<Map<String, Object>> documents = documents(file);
        if (documents.size() != 1) {
            throw new AssertionError(file + ": expected one YAML document, found " + documents.size());
        }
        return documents.getFirst();
    }

    static List<Map<String, Object>> parseAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) {
                documents.add(Maps.map(document, "document"));
            }
        }
        return documents;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
