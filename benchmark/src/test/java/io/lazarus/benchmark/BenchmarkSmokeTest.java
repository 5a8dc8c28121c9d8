package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.lazarus.common.contract.Contracts;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.TestPostgres;
import io.lazarus.testkit.process.Processes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The benchmark command works end to end on a small fleet; its numbers are for people, not for assertions on speed. */
class BenchmarkSmokeTest {

    private final Path result = Processes.sourceRoot().resolve("benchmark/target/benchmark-result.json");

    @BeforeEach
    void noEarlierResult() throws IOException {
        Files.deleteIfExists(result);
    }

    @Test
    void aSmallRunMeasuresEveryNodeAndWritesItsNumbers() throws Exception {
        int exit = benchmark(
                "--nodes", "20", "--install", "500ms", "--output-lines", "5", "--prefetch", "20", "--subnet", "231");

        assertThat(exit).isZero();
        JsonNode numbers = Contracts.mapper().readTree(result.toFile());
        assertThat(numbers.get("nodes").asInt()).isEqualTo(20);
        assertThat(numbers.get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":20}");
        assertThat(numbers.get("makespanSeconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(numbers.get("overheadSeconds").asDouble())
                .isEqualTo(numbers.get("makespanSeconds").asDouble() - 0.5, offset(0.01));
        // the workers' part: every install starts after the first message, and the run's start precedes that message
        assertThat(numbers.get("fromFirstMessageSeconds").asDouble())
                .isGreaterThanOrEqualTo(0.5)
                .isLessThanOrEqualTo(numbers.get("makespanSeconds").asDouble());
        // the command's own start, to its first message seen on the broker, and exit, measured around the report's
        // clock
        assertThat(numbers.get("startToFirstPublishMs").asLong()).isPositive().isLessThan((long)
                (numbers.get("lazarusRunSeconds").asDouble() * 1000));
        assertThat(numbers.get("lastOutcomeToExitMs").asLong()).isNotNegative();
        assertThat(numbers.get("lazarusRunSeconds").asDouble())
                .isGreaterThan(numbers.get("makespanSeconds").asDouble());
        assertThat(numbers.get("helpMs").asLong()).isPositive();
        assertThat(numbers.get("commandsFromAotCache").asBoolean())
                .as("as the launcher decides it")
                .isEqualTo(LauncherCache.absent(Processes.sourceRoot()).isEmpty());
        assertThat(numbers.get("brokerCpuSeconds").asDouble()).isNotNegative();
        assertThat(numbers.has("floor")).isFalse();
        assertThat(numbers.has("pssh")).isFalse();
        assertThat(numbers.get("limit").asString()).isEqualTo("adaptive");
        assertThat(numbers.get("timeToStartP95Ms").asLong())
                .isGreaterThanOrEqualTo(numbers.get("timeToStartP50Ms").asLong())
                .isNotNegative()
                .isLessThan((long) (numbers.get("makespanSeconds").asDouble() * 1000));
    }

    @Test
    void aComparisonRunsTheAdaptiveLimitTheSweepAndPrefetchNSideBySide() throws Exception {
        Path table = Processes.sourceRoot().resolve("benchmark/target/benchmark-compare.md");
        Files.deleteIfExists(table);

        int exit = benchmark(
                "--nodes",
                "20",
                "--install",
                "500ms",
                "--output-lines",
                "2",
                "--prefetch",
                "20",
                "--subnet",
                "232",
                "--compare",
                "5,20",
                "--rounds",
                "2",
                "--warmups",
                "0");

        assertThat(exit).isZero();
        List<String> rows = Files.readAllLines(table);
        assertThat(rows)
                .as("the runs in A B C C B A order (prefetch = N named in the sweep runs once a round), then each"
                        + " setting's mean")
                .hasSize(14)
                .allSatisfy(row -> assertThat(row).doesNotContain("NaN"));
        assertThat(rows.subList(2, 8))
                .extracting(row -> firstCells(row, 2))
                .containsExactly(
                        "| adaptive, prefetch 20 | 1 |",
                        "| fixed, prefetch 5 | 1 |",
                        "| fixed, prefetch 20 | 1 |",
                        "| fixed, prefetch 20 | 2 |",
                        "| fixed, prefetch 5 | 2 |",
                        "| adaptive, prefetch 20 | 2 |");
        assertThat(rows.subList(11, 14))
                .satisfies(means -> assertThat(means.get(0)).startsWith("| adaptive, prefetch 20 | "))
                .satisfies(means -> assertThat(means.get(1)).startsWith("| fixed, prefetch 5 | "))
                .satisfies(means -> assertThat(means.get(2)).startsWith("| fixed, prefetch 20 | "));
    }

    /** {@code | a | b | c |} with 2 cells gives {@code | a | b |}. */
    private static String firstCells(String row, int cells) {
        int at = -1;
        for (int i = 0; i <= cells; i++) {
            at = row.indexOf('|', at + 1);
        }
        return row.substring(0, at + 1);
    }

    @Test
    void anUnknownLimitIsAUsageError() {
        assertThat(benchmark("--nodes", "20", "--limit", "sometimes")).isEqualTo(Benchmark.EXIT_USAGE);
        assertThat(benchmark("--nodes", "20", "--compare", "5", "--rounds", "0"))
                .isEqualTo(Benchmark.EXIT_USAGE);
        assertThat(benchmark("--nodes", "20", "--compare", "5", "--warmups", "-1"))
                .isEqualTo(Benchmark.EXIT_USAGE);
        // the floors' rounds too: refused before a fleet starts or anything is measured
        assertThat(benchmark("--nodes", "20", "--floor", "--rounds", "0")).isEqualTo(Benchmark.EXIT_USAGE);
        assertThat(benchmark("--nodes", "20", "--pssh", "--openssh", "--rounds", "-3"))
                .isEqualTo(Benchmark.EXIT_USAGE);
        assertThat(result).doesNotExist();
    }

    @Test
    void theJschFloorRunsTheSameInstallsOnTheSameNodesAfterLazarus() throws Exception {
        int exit = benchmark(
                "--nodes",
                "20",
                "--install",
                "500ms",
                "--output-lines",
                "5",
                "--prefetch",
                "20",
                "--subnet",
                "232",
                "--floor");

        assertThat(exit).isZero();
        JsonNode numbers = Contracts.mapper().readTree(result.toFile());
        assertThat(numbers.get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":20}");
        JsonNode floor = numbers.get("floor");
        assertThat(floor.get("nodes").asInt()).isEqualTo(20);
        assertThat(floor.get("succeeded").asInt()).isEqualTo(20);
        assertThat(floor.get("failed").asInt()).isZero();
        assertThat(floor.get("maxSessions").asInt()).isEqualTo(20);
        assertThat(floor.get("stdoutLines").asLong()).isEqualTo(20 * 5);
        assertThat(floor.get("makespanSeconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(floor.get("lazarusMakespanSeconds").asDouble())
                .isEqualTo(numbers.get("makespanSeconds").asDouble());
        assertThat(floor.get("lazarusOverFloor").asDouble()).isPositive();
        assertThat(floor.get("lazarusFromFirstMessageSeconds").asDouble())
                .isEqualTo(numbers.get("fromFirstMessageSeconds").asDouble());
        assertThat(floor.get("workersOverFloor").asDouble())
                .isEqualTo(
                        numbers.get("fromFirstMessageSeconds").asDouble()
                                / floor.get("makespanSeconds").asDouble(),
                        offset(0.05)) // both sides rounded to hundredths before the test divides them
                .isLessThanOrEqualTo(floor.get("lazarusOverFloor").asDouble());
        assertThat(floor.get("channel").asString()).isEqualTo("LIKE_THE_WORKER");
        // the same installs once more, the script alone on the exec channel
        JsonNode bare = numbers.get("bareFloor");
        assertThat(bare.get("channel").asString()).isEqualTo("BARE");
        assertThat(bare.get("succeeded").asInt()).isEqualTo(20);
        assertThat(bare.get("stdoutLines").asLong()).isEqualTo(20 * 5);
        // and as a worker asks, each host key found in a map: strict checking, so a key it missed fails the node
        JsonNode mapped = numbers.get("floorKeysInAMap");
        assertThat(mapped.get("channel").asString()).isEqualTo("LIKE_THE_WORKER");
        assertThat(mapped.get("hostKeyCheck").asString()).contains("StrictHostKeyChecking=yes", "in a map");
        assertThat(mapped.get("succeeded").asInt()).isEqualTo(20);
        assertThat(mapped.get("stdoutLines").asLong()).isEqualTo(20 * 5);
        // two rounds by default, Lazarus and the floors taking turns, the top level the first round's
        JsonNode rounds = numbers.get("rounds");
        assertThat(rounds.size()).isEqualTo(2);
        assertThat(rounds.get(0).get("floor")).isEqualTo(floor);
        assertThat(rounds.get(0).get("lazarus").get("makespanSeconds")).isEqualTo(numbers.get("makespanSeconds"));
        JsonNode summary = numbers.get("sideBySide");
        assertThat(summary.get("rounds").asInt()).isEqualTo(2);
        for (int r = 0; r < 2; r++) {
            JsonNode round = rounds.get(r);
            assertThat(round.get("lazarus").get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":20}");
            assertThat(summary.get("lazarusMakespanSeconds").get(r))
                    .isEqualTo(round.get("lazarus").get("makespanSeconds"));
            // the nodes ran before, in the earlier round and for the floors: each round times its own starts
            assertThat(round.get("lazarus").get("timeToStartP50Ms").asLong())
                    .isNotNegative()
                    .isLessThanOrEqualTo(
                            (long) (round.get("lazarus").get("makespanSeconds").asDouble() * 1000));
            for (String name : List.of("bareFloor", "floor", "floorKeysInAMap")) {
                assertThat(round.get(name).get("succeeded").asInt()).as(name).isEqualTo(20);
                assertThat(round.get(name).get("lazarusMakespanSeconds"))
                        .as("%s against the Lazarus run of its own round", name)
                        .isEqualTo(round.get("lazarus").get("makespanSeconds"));
            }
        }
        assertThat(summary.get("sides").valueStream().map(s -> s.get("name").asString()))
                .containsExactly("bareFloor", "floor", "floorKeysInAMap");
        for (JsonNode side : summary.get("sides")) {
            String name = side.get("name").asString();
            double first = rounds.get(0).get(name).get("lazarusOverFloor").asDouble();
            double second = rounds.get(1).get(name).get("lazarusOverFloor").asDouble();
            assertThat(side.get("lazarusOver").get(0).asDouble()).isEqualTo(first);
            assertThat(side.get("lazarusOver").get(1).asDouble()).isEqualTo(second);
            assertThat(side.get("medianLazarusOver").asDouble()).isEqualTo((first + second) / 2, offset(0.006));
        }
    }

    @Test
    void onARealOpenSshFleetParallelSshRunsTheSameCommandAfterLazarus() throws Exception {
        int exit = benchmark(
                "--nodes",
                "20",
                "--install",
                "500ms",
                "--output-lines",
                "5",
                "--prefetch",
                "20",
                "--subnet",
                "233",
                "--openssh",
                "--pssh");

        assertThat(exit).isZero();
        JsonNode numbers = Contracts.mapper().readTree(result.toFile());
        assertThat(numbers.get("fleet").get("kind").asString()).isEqualTo("openssh");
        assertThat(numbers.get("fleet").get("processes").asInt())
                .as("20 addresses, 16 per sshd")
                .isEqualTo(2);
        assertThat(numbers.get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":20}");
        assertThat(numbers.get("makespanSeconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        JsonNode pssh = numbers.get("pssh");
        assertThat(pssh.get("nodes").asInt()).isEqualTo(20);
        assertThat(pssh.get("succeeded").asInt()).isEqualTo(20);
        assertThat(pssh.get("failed").asInt()).isZero();
        assertThat(pssh.get("exitCode").asInt()).isZero();
        assertThat(pssh.get("wallSeconds").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(pssh.get("lazarusWallOverPsshWall").asDouble()).isPositive();
        assertThat(pssh.get("lazarusMakespanOverPsshWall").asDouble()).isPositive();
        assertThat(numbers.get("sideBySide")
                        .get("sides")
                        .get(0)
                        .get("lazarusOver")
                        .valueStream()
                        .map(JsonNode::asDouble))
                .containsExactly(
                        pssh.get("lazarusWallOverPsshWall").asDouble(),
                        numbers.get("rounds")
                                .get(1)
                                .get("pssh")
                                .get("lazarusWallOverPsshWall")
                                .asDouble());
    }

    @Test
    void throughTheServiceOnPostgreSqlTheServiceIsMeasuredAsTheCoordinator() throws Exception {
        try (TestPostgres.Schema registry = TestPostgres.freshSchema()) {
            int exit = benchmark(
                    "--nodes",
                    "10",
                    "--install",
                    "500ms",
                    "--output-lines",
                    "5",
                    "--prefetch",
                    "10",
                    "--subnet",
                    "235",
                    "--service",
                    "--warmup-nodes",
                    "4",
                    "--warmups",
                    "2",
                    "--registry-url",
                    registry.url());

            assertThat(exit).isZero();
            JsonNode numbers = Contracts.mapper().readTree(result.toFile());
            assertThat(numbers.get("outcomes").toString()).isEqualTo("{\"SUCCEEDED\":10}");
            assertThat(numbers.get("warmupRuns").asInt()).isEqualTo(2);
            // two warm-up runs and the measured one, all through the service and its registry
            try (Connection db = DriverManager.getConnection(registry.url());
                    ResultSet runs = db.createStatement().executeQuery("select count(*) from runs")) {
                runs.next();
                assertThat(runs.getInt(1)).isEqualTo(3);
            }
            JsonNode service = numbers.get("service");
            assertThat(service.get("registry").asString()).isEqualTo("postgresql");
            assertThat(service.get("cpuSeconds").asDouble()).isPositive();
            assertThat(service.get("peakRssMiB").asDouble())
                    .isGreaterThanOrEqualTo(service.get("idleRssMiB").asDouble());
            assertThat(service.get("registryBytesAfter").asLong())
                    .isGreaterThan(service.get("registryBytesBefore").asLong());
            assertThat(service.get("registryBytesPerNode").asDouble()).isPositive();
            assertThat(service.get("tableBytesGrowth").has("attempts")).isTrue();
        }
    }

    @Test
    void aRegistryUrlWithoutTheServiceIsAUsageError() {
        assertThat(benchmark("--nodes", "20", "--registry-url", "jdbc:postgresql://127.0.0.1/x"))
                .isEqualTo(Benchmark.EXIT_USAGE);
    }

    @Test
    void parallelSshWithoutTheOpenSshFleetIsAUsageError() {
        assertThat(benchmark("--nodes", "20", "--pssh")).isEqualTo(Benchmark.EXIT_USAGE);
    }

    @Test
    void aRunTimeoutThatIsNotPositiveIsAUsageErrorNamingIt() {
        for (String timeout : new String[] {"0s", "-5s", "soon"}) {
            StringWriter err = new StringWriter();
            CommandLine command = Benchmark.commandLine();
            command.setErr(new PrintWriter(err, true));

            assertThat(command.execute(withBroker("--nodes", "4", "--run-timeout", timeout)))
                    .as(timeout)
                    .isEqualTo(Benchmark.EXIT_USAGE);
            assertThat(err.toString())
                    .as(timeout)
                    .contains("--run-timeout", "'" + timeout + "' is not a positive duration");
        }
        assertThat(result).doesNotExist();
    }

    @Test
    void aRunThatOutlastsItsTimeoutIsStoppedAndSaysSo() {
        StringWriter err = new StringWriter();
        CommandLine command = Benchmark.commandLine();
        command.setErr(new PrintWriter(err, true));

        // one node at a time: when the run is stopped, the others are still in the install queue
        int exit = command.execute(withBroker(
                "--nodes", "4", "--install", "10s", "--prefetch", "1", "--subnet", "236", "--run-timeout", "8s"));

        assertThat(exit).isEqualTo(Benchmark.EXIT_FAILED);
        assertThat(err.toString())
                .startsWith("lazarus-benchmark: lazarus run did not finish within PT8S and was stopped")
                .contains("--run-timeout")
                .doesNotContain("Exception", "\tat ");
        assertThat(result).doesNotExist();
        assertThat(benchmark("--nodes", "4", "--install", "500ms", "--prefetch", "4", "--subnet", "236"))
                .as("the stopped run's messages do not stay in the install queue for the next benchmark to refuse")
                .isZero();
    }

    private static int benchmark(String... args) {
        return new CommandLine(new Benchmark()).execute(withBroker(args));
    }

    private static String[] withBroker(String... args) {
        String[] withBroker = Arrays.copyOf(args, args.length + 2);
        withBroker[args.length] = "--rabbit";
        withBroker[args.length + 1] = RabbitBroker.shared().uri().toString();
        return withBroker;
    }
}
