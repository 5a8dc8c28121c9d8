package io.lazarus.coordinator.report;

import io.lazarus.common.contract.Contracts;
import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;

public final class JsonReportWriter {

    private JsonReportWriter() {}

    public static void write(RunReport report, Path file) throws IOException {
        ReportFiles.write(file, bytes(report));
    }

    public static byte[] bytes(RunReport report) {
        return Contracts.mapper()
                .writer()
                .with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(report);
    }
}
