package io.lazarus.benchmark;

import io.lazarus.common.contract.Contracts;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.Processes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark command works end to end on a small fleet; its numbers are for people, not for assertions on speed. */
class BenchmarkSmokeTest {

    @Test
    void aSmallRunMeasuresEveryNodeAndWritesItsNumbers() throws Exception {
        Path result = Processes.sourceRoot().resolve("benchmark/target/benchmark-result.json");
        Files.deleteIfExists(result);

        int exit = new CommandLine(new Benchmark()).execute("--nodes", "20", "--install", "500ms", "--output-lines", "5",
                "--prefetch", "20", "--subnet", "231", "--rabbit", RabbitBroker.shared().uri().toString());

        assertThat(exit).isZero();
        JsonNode numbers = Contracts.mapper().readTree(result.toFile());
        assertThat(numbers.get("nodes").asInt()).isEqualTo(20);
        assertThat(numbers.get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":20}");
        assertThat(numbers.get("makespanSeconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(numbers.get("overheadSeconds").asDouble())
                .isEqualTo(numbers.get("makespanSeconds").asDouble() - 0.5, org.assertj.core.data.Offset.offset(0.01));
        // the command's own start and exit, measured around the report's clock
        assertThat(numbers.get("startToFirstPublishMs").asLong()).isPositive();
        assertThat(numbers.get("lastOutcomeToExitMs").asLong()).isNotNegative();
        assertThat(numbers.get("lazarusRunSeconds").asDouble()).isGreaterThan(numbers.get("makespanSeconds").asDouble());
        assertThat(numbers.get("helpMs").asLong()).isPositive();
        assertThat(numbers.get("brokerCpuSeconds").asDouble()).isNotNegative();
    }
}
