package io.lazarus.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.fleet.NodeBehavior.Fault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo fleet's command line: which nodes it serves, and what it refuses. */
class FleetMainTest {

    private static final String PUBLIC_KEY =
            PublicKeyEntry.toString(HostKeys.generate().getPublic());

    @TempDir
    Path dir;

    @Test
    void eachProfileHasACountAndItsNodesAreNamedAfterIt() throws Exception {
        FleetMain main = parse(
                "--nodes",
                "2",
                "--failing",
                "1",
                "--unreachable",
                "1",
                "--no-banner",
                "1",
                "--rejecting-auth",
                "1",
                "--hanging-auth",
                "1",
                "--changed-host-key",
                "1",
                "--stalling",
                "1",
                "--dropping",
                "1",
                "--flaky",
                "1",
                "--flaky-failures",
                "3",
                "--slow",
                "1",
                "--slow-interval",
                "PT1S",
                "--output-lines",
                "4",
                "--install-duration",
                "2s");

        try (SimulatedFleet fleet = main.fleet(PUBLIC_KEY).start()) {
            assertThat(fleet.nodes())
                    .extracting(SimulatedNode::id)
                    .containsExactly(
                            "ok-0001",
                            "ok-0002",
                            "fail-0001",
                            "unreachable-0001",
                            "no-banner-0001",
                            "reject-auth-0001",
                            "hang-auth-0001",
                            "rekeyed-0001",
                            "stall-0001",
                            "drop-0001",
                            "flaky-0001",
                            "slow-0001");
            assertThat(fleet.nodes())
                    .extracting(n -> n.behavior().fault())
                    .containsExactly(
                            Fault.NONE,
                            Fault.NONE,
                            Fault.NONE,
                            Fault.REFUSE_CONNECTION,
                            Fault.NO_BANNER,
                            Fault.REJECT_AUTH,
                            Fault.HANG_AUTH,
                            Fault.CHANGED_HOST_KEY,
                            Fault.STALL_AFTER_OUTPUT,
                            Fault.DROP_SESSION,
                            Fault.FLAKY,
                            Fault.NONE);
            assertThat(fleet.node("ok-0001").behavior()).isEqualTo(NodeBehavior.install(Duration.ofSeconds(2), 4));
            assertThat(fleet.node("fail-0001").behavior()).isEqualTo(NodeBehavior.aptFailure());
            assertThat(fleet.node("stall-0001").behavior().outputLines()).isEqualTo(2);
            assertThat(fleet.node("drop-0001").behavior().outputInterval()).isEqualTo(Duration.ofMillis(500));
            assertThat(fleet.node("flaky-0001").behavior().failures()).isEqualTo(3);
            assertThat(fleet.node("slow-0001").behavior())
                    .isEqualTo(NodeBehavior.succeedSlowly(4, Duration.ofSeconds(1)));
            assertThat(fleet.nodes()).extracting(SimulatedNode::address).allMatch(a -> a.startsWith("127.254.0."));
        }
    }

    @Test
    void theOptionsTheDemoUsesKeepTheirMeaning() throws Exception {
        FleetMain main = parse(
                "--nodes",
                "2",
                "--failing",
                "1",
                "--unreachable",
                "1",
                "--output-lines",
                "3",
                "--output-interval",
                "PT0.1S");

        try (SimulatedFleet fleet = main.fleet(PUBLIC_KEY).start()) {
            assertThat(fleet.nodes())
                    .extracting(SimulatedNode::behavior)
                    .containsExactly(
                            NodeBehavior.succeedSlowly(3, Duration.ofMillis(100)),
                                    NodeBehavior.succeedSlowly(3, Duration.ofMillis(100)),
                            NodeBehavior.aptFailure(), NodeBehavior.refuseConnection());
        }
        try (SimulatedFleet defaults = parse().fleet(PUBLIC_KEY).start()) {
            assertThat(defaults.nodes())
                    .hasSize(50)
                    .extracting(SimulatedNode::behavior)
                    .containsOnly(NodeBehavior.succeedSlowly(5, Duration.ofMillis(200)));
        }
    }

    @Test
    void bindPutsEveryNodeOnOneAddressWithAPortEachAdvertisedByName() throws Exception {
        FleetMain main = new FleetMain();
        new CommandLine(main)
                .parseArgs(
                        "--nodes",
                        "2",
                        "--unreachable",
                        "1",
                        "--bind",
                        "127.0.0.1",
                        "--advertise",
                        "localhost",
                        "--port",
                        "22030",
                        "--authorized-key",
                        "unused.pub");

        try (SimulatedFleet fleet = main.fleet(PUBLIC_KEY).start()) {
            assertThat(fleet.nodes())
                    .extracting(n -> n.inventoryLine("demo"))
                    .containsExactly(
                            "demo@localhost:22030 name=ok-0001",
                            "demo@localhost:22031 name=ok-0002",
                            "demo@localhost:22032 name=unreachable-0001");
        }
        Run advertiseAlone = execute(
                "--authorized-key",
                Files.writeString(dir.resolve("id.pub"), PUBLIC_KEY).toString(),
                "--advertise",
                "fleet");
        assertThat(advertiseAlone.exitCode()).isEqualTo(2);
        assertThat(advertiseAlone.stderr()).contains("--advertise goes with --bind");
    }

    @Test
    void durationsAreIsoOrANumberWithAUnit() {
        FleetMain.DurationConverter converter = new FleetMain.DurationConverter();

        assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> converter.convert("2 seconds")).hasMessageContaining("'2 seconds' is not a duration");
        assertThatThrownBy(() -> converter.convert("-PT1S")).hasMessageContaining("is not a duration");
    }

    @Test
    void anInstallDurationExcludesAnOutputIntervalAndNeedsALine() throws Exception {
        Path key = Files.writeString(dir.resolve("id.pub"), PUBLIC_KEY);

        Run both = execute("--authorized-key", key.toString(), "--install-duration", "2s", "--output-interval", "1s");
        Run noLines = execute("--authorized-key", key.toString(), "--install-duration", "2s", "--output-lines", "0");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).contains("mutually exclusive");
        assertThat(noLines.exitCode()).isEqualTo(2);
        assertThat(noLines.stderr()).contains("--install-duration needs --output-lines of 1 or more");
    }

    /** Parsed as the command line would be, on a subnet and port of its own. */
    private static FleetMain parse(String... args) {
        FleetMain main = new FleetMain();
        new CommandLine(main)
                .parseArgs(Stream.concat(
                                Arrays.stream(args),
                                Stream.of("--subnet", "254", "--port", "22022", "--authorized-key", "unused.pub"))
                        .toArray(String[]::new));
        return main;
    }

    private record Run(int exitCode, String stderr) {}

    private static Run execute(String... args) {
        StringWriter err = new StringWriter();
        int exitCode =
                new CommandLine(new FleetMain()).setErr(new PrintWriter(err)).execute(args);
        return new Run(exitCode, err.toString());
    }
}
