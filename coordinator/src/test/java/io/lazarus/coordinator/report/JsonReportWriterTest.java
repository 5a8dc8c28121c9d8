package io.lazarus.coordinator.report;

import static io.lazarus.coordinator.registry.CommandResults.command;
import static io.lazarus.coordinator.registry.CommandResults.withCommands;
import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.NodeState;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonReportWriterTest {

    private final AttemptResult succeeded = withCommands(Outcome.SUCCEEDED, command(0, 0, 20), command(1, 0, 30));
    private final RunReport report = RunReport.of(
            "run-1",
            "install.sh",
            "abc",
            Map.of("version", "10.1"),
            Instant.parse("2026-12-02T10:00:00Z"),
            Instant.parse("2026-12-02T10:05:00Z"),
            3,
            IntStream.rangeClosed(1, 3)
                    .mapToObj(i -> NodeReport.of(
                            new NodeTarget("web-0" + i, "10.0.0." + i, 22, "deploy", Map.of("rack", "r" + i)),
                            NodeState.SUCCEEDED,
                            1,
                            "worker-1",
                            succeeded,
                            ""))
                    .toList());

    @Test
    void eachNodeIsOneLineOfItsOwnAndTheWholeReadsBackAsTheReport() {
        String json = new String(JsonReportWriter.bytes(report), StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(json.split("\n"));

        List<String> nodeLines =
                lines.stream().filter(line -> line.startsWith("{\"node\":")).toList();
        assertThat(nodeLines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String line = nodeLines.get(i);
            JsonNode node =
                    Contracts.mapper().readTree(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
            assertThat(node.get("node").asString()).isEqualTo("web-0" + (i + 1));
            assertThat(node.get("commands")).hasSize(2);
        }
        assertThat(lines.getFirst()).startsWith("{\"runId\":\"run-1\"");
        assertThat(lines.getLast()).isEqualTo("}");
        assertThat(lines)
                .as("nothing nested is broken over lines")
                .allSatisfy(line -> assertThat(line.length()).isLessThan(2000));
        assertThat(Contracts.mapper().readValue(json, RunReport.class)).isEqualTo(report);
    }

    @Test
    void aStrangersLineBreaksStayInsideTheirNodesLine() {
        String hostile = "line one\nline two\r\n{\"node\":\"web-09\"}\u2028\u2029\tend";
        RunReport withBreaks = RunReport.of(
                "run-2",
                "install.sh",
                "abc",
                Map.of("note", hostile),
                Instant.parse("2026-12-02T10:00:00Z"),
                Instant.parse("2026-12-02T10:05:00Z"),
                2,
                List.of(
                        NodeReport.of(
                                new NodeTarget("web-01", "10.0.0.1", 22, "deploy", Map.of("rack", hostile)),
                                NodeState.FAILED,
                                1,
                                "worker-1",
                                AttemptResult.without(Outcome.COMMAND_FAILED, hostile),
                                ""),
                        NodeReport.of(
                                new NodeTarget("web-02", "10.0.0.2", 22, "deploy", Map.of()),
                                NodeState.DEAD_LETTERED,
                                2,
                                null,
                                null,
                                hostile)));

        String json = new String(JsonReportWriter.bytes(withBreaks), StandardCharsets.UTF_8);
        List<String> nodeLines = Arrays.stream(json.split("\n"))
                .filter(line -> line.startsWith("{\"node\":"))
                .toList();

        assertThat(nodeLines).hasSize(2);
        assertThat(nodeLines.get(0)).startsWith("{\"node\":\"web-01\"").contains("line one\\nline two\\r\\n");
        assertThat(nodeLines.get(1)).startsWith("{\"node\":\"web-02\"").contains("line one\\nline two");
        assertThat(json).doesNotContain("\r");
        assertThat(Contracts.mapper().readValue(json, RunReport.class)).isEqualTo(withBreaks);
    }
}
