package io.lazarus.fleet;

import io.lazarus.fleet.NodeBehavior.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The demo fleet: {@code java -jar fleet-sim/target/lazarus-fleet-sim.jar --nodes 50 --authorized-key ~/.ssh/id_ecdsa.pub}.
 * Each fault profile has its own count; node ids name their profile ({@code ok-0001}, {@code stall-0001}, ...).
 */
@Command(
        name = "lazarus-fleet-sim",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serves a fleet of simulated SSH nodes on loopback addresses 127.<subnet>.x.y until stopped.",
            "With --bind, every node listens on that one address instead, each on its own port from --port up"
                    + " (a container: --bind 0.0.0.0 --advertise fleet)."
        })
public final class FleetMain implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--nodes",
            defaultValue = "50",
            description = "nodes that install successfully: ok-NNNN (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--failing",
            defaultValue = "0",
            description = "nodes whose install exits 100 like a broken apt-get: fail-NNNN")
    int failing;

    @Option(
            names = "--unreachable",
            defaultValue = "0",
            description = "nodes that refuse connections: unreachable-NNNN")
    int unreachable;

    @Option(
            names = "--no-banner",
            defaultValue = "0",
            description = "nodes that accept TCP and never send an SSH banner: no-banner-NNNN")
    int noBanner;

    @Option(
            names = "--rejecting-auth",
            defaultValue = "0",
            description = "nodes that reject every key: reject-auth-NNNN")
    int rejectingAuth;

    @Option(
            names = "--hanging-auth",
            defaultValue = "0",
            description = "nodes that never answer the authentication: hang-auth-NNNN")
    int hangingAuth;

    @Option(
            names = "--changed-host-key",
            defaultValue = "0",
            description = "nodes that present a host key other than the one in --known-hosts: rekeyed-NNNN")
    int changedHostKey;

    @Option(
            names = "--stalling",
            defaultValue = "0",
            description = "nodes that print half of --output-lines, then stay silent without exiting: stall-NNNN")
    int stalling;

    @Option(
            names = "--dropping",
            defaultValue = "0",
            description = "nodes that print half of --output-lines, then drop the connection: drop-NNNN")
    int dropping;

    @Option(
            names = "--flaky",
            defaultValue = "0",
            description =
                    "nodes whose first --flaky-failures commands find the dpkg lock held and exit 100: flaky-NNNN")
    int flaky;

    @Option(
            names = "--flaky-failures",
            defaultValue = "1",
            description = "failing commands per flaky node (default ${DEFAULT-VALUE})")
    int flakyFailures;

    @Option(
            names = "--slow",
            defaultValue = "0",
            description = "nodes that print each line only every --slow-interval: slow-NNNN")
    int slow;

    @Option(
            names = "--slow-interval",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "pause after each line of a slow node (default ${DEFAULT-VALUE})")
    Duration slowInterval;

    @Option(
            names = "--subnet",
            defaultValue = "200",
            description = "second octet of the addresses (default ${DEFAULT-VALUE})")
    int subnet;

    @Option(
            names = "--port",
            defaultValue = "2222",
            description = "SSH port of every node; with --bind, of the first node (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", description = "one address for every node, each on its own port")
    String bind;

    @Option(
            names = "--advertise",
            description =
                    "with --bind: the host name clients reach the nodes by, in --inventory and --known-hosts (default: the --bind address)")
    String advertise;

    @Option(
            names = "--output-lines",
            defaultValue = "5",
            description = "lines each install prints (default ${DEFAULT-VALUE})")
    int outputLines;

    @ArgGroup(exclusive = true)
    Rhythm rhythm;

    @Option(names = "--authorized-key", required = true, description = "OpenSSH public key file the nodes accept")
    Path authorizedKey;

    @Option(names = "--inventory", description = "write a Lazarus inventory of the fleet to this file")
    Path inventory;

    @Option(names = "--user", defaultValue = "lazarus", description = "user written into the inventory")
    String user;

    @Option(names = "--known-hosts", description = "write the nodes' original host keys to this known_hosts file")
    Path knownHosts;

    static final class Rhythm {
        @Option(
                names = "--output-interval",
                converter = DurationConverter.class,
                description = "pause after each line of an install (e.g. 200ms or PT0.2S; default 200ms)")
        Duration outputInterval;

        @Option(
                names = "--install-duration",
                converter = DurationConverter.class,
                description = "how long each install takes, its lines evenly spread (e.g. 2s or PT2S)")
        Duration installDuration;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(authorizedKey)) {
            System.err.println("lazarus-fleet-sim: cannot read --authorized-key " + authorizedKey);
            return 2;
        }
        try (SimulatedFleet fleet = fleet(Files.readString(authorizedKey)).start()) {
            if (inventory != null) {
                fleet.writeInventory(inventory, user);
            }
            if (knownHosts != null) {
                fleet.writeKnownHosts(knownHosts);
            }
            System.out.printf(
                    "serving %d simulated nodes on %s%s%s%n",
                    fleet.nodes().size(),
                    where(fleet),
                    inventory == null ? "" : "; inventory in " + inventory,
                    knownHosts == null ? "" : "; known hosts in " + knownHosts);
            Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
            long reported = -1;
            while (true) {
                long ran = fleet.nodes().stream()
                        .mapToLong(n -> n.executions().size())
                        .sum();
                if (ran != reported) {
                    System.out.printf("%d commands run so far%n", ran);
                    reported = ran;
                }
                Thread.sleep(5_000);
            }
        }
    }

    private String where(SimulatedFleet fleet) {
        return bind == null
                ? "127.%d.x.y:%d".formatted(subnet, port)
                : "%s ports %d-%d as %s"
                        .formatted(
                                bind,
                                port,
                                fleet.nodes().getLast().port(),
                                fleet.nodes().getFirst().address());
    }

    /** The fleet the options describe, each profile's nodes after the previous profile's. */
    SimulatedFleet.Builder fleet(String authorizedKeyLine) {
        Duration interval = interval();
        SimulatedFleet.Builder builder =
                SimulatedFleet.builder().subnet(subnet).port(port).authorizedKey(authorizedKeyLine);
        if (bind != null) {
            builder.sharedAddress(bind, advertise != null ? advertise : bind);
        } else if (advertise != null) {
            throw new ParameterException(spec.commandLine(), "--advertise goes with --bind");
        }
        add(builder, "ok", nodes, new NodeBehavior(Fault.NONE, outputLines, interval, 0, "", 0));
        add(builder, "fail", failing, NodeBehavior.aptFailure());
        add(builder, "unreachable", unreachable, NodeBehavior.refuseConnection());
        add(builder, "no-banner", noBanner, NodeBehavior.noBanner());
        add(builder, "reject-auth", rejectingAuth, NodeBehavior.rejectAuth());
        add(builder, "hang-auth", hangingAuth, NodeBehavior.hangAuth());
        add(
                builder,
                "rekeyed",
                changedHostKey,
                new NodeBehavior(Fault.CHANGED_HOST_KEY, outputLines, interval, 0, "", 0));
        add(
                builder,
                "stall",
                stalling,
                new NodeBehavior(Fault.STALL_AFTER_OUTPUT, outputLines / 2, interval, 0, "", 0));
        add(builder, "drop", dropping, new NodeBehavior(Fault.DROP_SESSION, outputLines / 2, interval, 0, "", 0));
        add(builder, "flaky", flaky, new NodeBehavior(Fault.FLAKY, outputLines, interval, 0, "", flakyFailures));
        add(builder, "slow", slow, NodeBehavior.succeedSlowly(outputLines, slowInterval));
        return builder;
    }

    private Duration interval() {
        if (rhythm == null) {
            return Duration.ofMillis(200);
        }
        if (rhythm.outputInterval != null) {
            return rhythm.outputInterval;
        }
        if (outputLines < 1) {
            throw new ParameterException(spec.commandLine(), "--install-duration needs --output-lines of 1 or more");
        }
        return rhythm.installDuration.dividedBy(outputLines);
    }

    private static void add(SimulatedFleet.Builder builder, String profile, int count, NodeBehavior behavior) {
        for (int i = 1; i <= count; i++) {
            builder.node("%s-%04d".formatted(profile, i), behavior);
        }
    }

    /** ISO-8601 ({@code PT2S}) or a number with a unit: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            try {
                Duration duration = parse(value);
                if (!duration.isNegative()) {
                    return duration;
                }
            } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
                // said below
            }
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 500ms, 2s, 1m, PT2S)");
        }

        private static Duration parse(String value) {
            Matcher shortForm = SHORT.matcher(value);
            if (!shortForm.matches()) {
                return Duration.parse(value);
            }
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetMain()).execute(args));
    }
}
