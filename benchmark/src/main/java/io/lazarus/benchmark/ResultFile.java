package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code benchmark-result.json}: Lazarus's numbers at the top level, each side-by-side run in a section of its own
 * ({@code floor}, {@code pssh}). With more than one round, the top level holds the first round and {@code rounds} every
 * round's sections, Lazarus's under {@code lazarus}. Written again as each part is measured, so that a later failure
 * keeps the earlier.
 */
final class ResultFile {

    private final Path file;
    private final ObjectNode root;

    ResultFile(Path file, BenchmarkResult lazarus) throws IOException {
        this.file = file;
        this.root = Contracts.mapper().valueToTree(lazarus);
        write();
    }

    void add(String section, Object numbers) throws IOException {
        root.set(section, Contracts.mapper().valueToTree(numbers));
        write();
    }

    /** A section of round {@code round} (from 1) in {@code rounds}. */
    void addToRound(int round, String section, Object numbers) throws IOException {
        ArrayNode rounds = root.has("rounds") ? (ArrayNode) root.get("rounds") : root.putArray("rounds");
        while (rounds.size() < round) {
            rounds.addObject();
        }
        ((ObjectNode) rounds.get(round - 1)).set(section, Contracts.mapper().valueToTree(numbers));
        write();
    }

    Path path() {
        return file;
    }

    private void write() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(
                file,
                Contracts.mapper()
                        .writer()
                        .with(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsBytes(root));
    }
}
