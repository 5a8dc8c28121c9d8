package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.Contracts;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;

/**
 * {@code -o table|json}: lines for people, or one JSON document on standard output for scripts. With json, whatever
 * is said for people goes to standard error (as the logs do), so that standard output parses.
 */
final class OutputFormat {

    /** What {@code -o} takes; the names are what is typed, and what a refusal lists. */
    enum Format {
        table,
        json
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "table|json",
            description = "table: lines for people (default); json: one JSON document on standard output, the rest"
                    + " on standard error")
    Format format = Format.table;

    boolean json() {
        return format == Format.json;
    }

    /** Where the lines meant for people go. */
    PrintStream people() {
        return json() ? System.err : System.out;
    }

    /** The document, indented, as the JSON reports are, on standard output. */
    static void write(Object document) throws IOException {
        System.out.write(bytes(document));
        System.out.println();
        System.out.flush();
    }

    static byte[] bytes(Object document) {
        return Contracts.mapper()
                .writer()
                .with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(document);
    }
}
