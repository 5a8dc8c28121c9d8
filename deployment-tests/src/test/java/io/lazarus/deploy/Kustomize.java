package io.lazarus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * k8s/ rendered by the real kustomize, {@code kubectl kustomize}, as {@code kubectl apply -k} would. The manifests use
 * kustomize v5 (labels, components), which comes with kubectl 1.27 or newer; {@code scripts/test.sh} makes sure of
 * one. Without it every test that renders fails, saying what is missing: none of them skips.
 */
final class Kustomize {

    private static final int KUSTOMIZE_MAJOR = 5;
    private static final Pattern VERSION = Pattern.compile("\"kustomizeVersion\"\\s*:\\s*\"v(\\d+)\\.");
    /** The YAML kubectl printed, by directory: each test parses its own copy, free to change it. */
    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The objects {@code kubectl kustomize directory} prints. */
    static List<Map<String, Object>> build(Path directory) {
        return YamlFiles.parseAll(
                RENDERED.computeIfAbsent(directory.toAbsolutePath().normalize(), Kustomize::render));
    }

    static String id(Map<String, Object> object) {
        return object.get("apiVersion") + "/" + object.get("kind") + " " + Maps.string(object, "metadata", "name");
    }

    private static String render(Path directory) {
        String version = kubectl("version", "--client", "-o", "json");
        Matcher major = VERSION.matcher(version);
        // kubectl before 1.24 does not print its kustomize version: it is v4 or older
        int found = major.find() ? Integer.parseInt(major.group(1)) : 0;
        if (found < KUSTOMIZE_MAJOR) {
            throw new AssertionError("k8s/ needs kustomize v" + KUSTOMIZE_MAJOR + " (kubectl 1.27 or newer); this"
                    + " kubectl's is " + (found == 0 ? "older than v4.5" : "v" + found) + ": " + version.strip());
        }
        return kubectl("kustomize", directory.toString());
    }

    /** What kubectl printed; fails with its error output when it is missing or exits non-zero. */
    private static String kubectl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        command.addAll(List.of(arguments));
        try {
            Path errors = Files.createTempFile("kubectl", ".err");
            try {
                Process process = start(new ProcessBuilder(command).redirectError(errors.toFile()));
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                            + Files.readString(errors));
                }
                return output;
            } finally {
                Files.delete(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + command + " ran", e);
        }
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl is not installed: the deployment tests render k8s/ with `kubectl"
                            + " kustomize` (kubectl 1.27 or newer, for kustomize v" + KUSTOMIZE_MAJOR
                            + "). bash scripts/test.sh"
                            + " installs it where the system's packages have one that new, else says where to get it.",
                    e);
        }
    }
}
