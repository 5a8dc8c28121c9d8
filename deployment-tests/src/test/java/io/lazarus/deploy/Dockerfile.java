package io.lazarus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The repository's Dockerfile as instructions by stage, and its .dockerignore. */
final class Dockerfile {

    /** One instruction, continuation lines joined, in the stage it belongs to. */
    record Instruction(String keyword, String arguments, String stage) {

        List<String> words() {
            return Arrays.stream(arguments.trim().split("\\s+")).toList();
        }
    }

    private final List<Instruction> instructions = new ArrayList<>();
    /** Each stage's name and what it starts from (an image, or an earlier stage). */
    private final Map<String, String> stages = new LinkedHashMap<>();

    private final List<String> ignored;

    Dockerfile(Path root) {
        String stage = null;
        StringBuilder line = new StringBuilder();
        for (String raw : lines(root.resolve("Dockerfile"))) {
            if (raw.isBlank() || raw.stripLeading().startsWith("#")) {
                continue;
            }
            line.append(raw.strip());
            if (raw.endsWith("\\")) {
                line.setLength(line.length() - 1);
                line.append(' ');
                continue;
            }
            String[] parts = line.toString().split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String arguments = parts.length > 1 ? parts[1] : "";
            line.setLength(0);
            if (keyword.equals("FROM")) {
                String[] from = arguments.split("\\s+");
                stage = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "stage-" + stages.size();
                stages.put(stage, from[0]);
            }
            instructions.add(new Instruction(keyword, arguments, stage));
        }
        ignored = lines(root.resolve(".dockerignore")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    Map<String, String> stages() {
        return stages;
    }

    /** The instructions that make {@code target}: its own and those of the stages it starts from, base first. */
    List<Instruction> chain(String target) {
        List<Instruction> chain = new ArrayList<>();
        for (String stage = target; stages.containsKey(stage); stage = stages.get(stage)) {
            String current = stage;
            chain.addAll(
                    0,
                    instructions.stream().filter(i -> current.equals(i.stage())).toList());
        }
        return chain;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** Whether .dockerignore keeps {@code path} (relative to the context) out of the build context. */
    boolean ignores(String path) {
        for (String pattern : ignored) {
            String glob = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
            for (String candidate : List.of(glob, glob.startsWith("**/") ? glob.substring(3) : glob)) {
                var matcher = FileSystems.getDefault().getPathMatcher("glob:" + candidate);
                for (Path p = Path.of(path); p != null; p = p.getParent()) {
                    if (matcher.matches(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
