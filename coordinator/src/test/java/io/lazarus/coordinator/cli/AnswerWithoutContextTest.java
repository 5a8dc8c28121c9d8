package io.lazarus.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Help, version and usage errors are answered by picocli alone, for every command of the tree; a run handed to a
 * service with its settings, without Spring's context.
 */
class AnswerWithoutContextTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream systemOut;
    private PrintStream systemErr;

    @BeforeEach
    void capture() {
        systemOut = System.out;
        systemErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(systemOut);
        System.setErr(systemErr);
    }

    /** A command line builds only the command it names; the others are listed from their annotations alone. */
    @Test
    void theHelpListsEveryCommandAsTheWholeTreeWould() {
        String whole = Cli.optionsOnly().getUsageMessage();

        assertThat(Cli.answerWithoutContext("--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(whole)
                .contains("  run ", "  resurrect ", "  completion ", "  help ");
        assertThat(LazarusCommand.commandsFor("status", "r1"))
                .as("only status is built")
                .filteredOn(Class.class::isInstance)
                .containsExactlyInAnyOrder(StatusCommand.class, CommandLine.HelpCommand.class);
    }

    @Test
    void theCommandsThatPublishInstallOrCancelMessagesAreTheOnesThatSign() {
        assertThat(List.of("run", "rerun", "resurrect", "watch", "cancel", "serve"))
                .allMatch(command -> Cli.signs(command, "r1"));
        assertThat(List.of("status", "logs", "report", "quarantine", "registry", "broker", "keys", "ec2", "help", ""))
                .noneMatch(command -> Cli.signs(command, "r1"));
        assertThat(Cli.signs()).isFalse();
    }

    @Test
    void everyCommandAnswersItsHelpWithItsDefaults() {
        List<List<String>> paths = new ArrayList<>();
        collect(Cli.optionsOnly(), new ArrayList<>(), paths);
        assertThat(paths)
                .as("the command tree")
                .hasSizeGreaterThan(15)
                .contains(
                        List.of("run"),
                        List.of("keys", "rotate"),
                        List.of("ec2", "provision"),
                        List.of("broker", "setup"));

        for (List<String> path : paths) {
            out.reset();
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Integer exit = Cli.answerWithoutContext(args.toArray(String[]::new));
            assertThat(exit).as(String.join(" ", args)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .as(String.join(" ", args))
                    .startsWith("Usage: "
                            + String.join(" ", "lazarus", String.join(" ", path))
                                    .strip());
        }
        out.reset();
        assertThat(Cli.answerWithoutContext("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("user for nodes that name none (default root)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"status RUN", "report RUN", "quarantine list", "resurrect --dry-run"})
    void anUnknownOutputFormatIsAUsageErrorNamingTheFormatsTaken(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-o", "yaml"));

        Integer exit = Cli.answerWithoutContext(args.toArray(String[]::new));

        assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--output", "table", "json", "'yaml'")
                .contains("see lazarus " + command.split(" ")[0]);
        assertThat(Cli.answerWithoutContext(command.replace("RUN", "r1").split(" ")))
                .as("without -o, the command is Spring's to run")
                .isNull();
    }

    /** Options that do not go together are a usage error picocli cannot see: answered before Spring starts too. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "run --script install.sh|name the nodes with --inventory FILE or with --ec2-filter FILTER",
                "run --script install.sh --inventory hosts --ec2-filter tag:role=web|name the nodes with",
                "run --script install.sh --ec2-filter tag:role=web --limit web-1|--limit goes with --inventory",
                "run --script install.sh --inventory hosts --region eu-west-1|--address, --skip-unaddressable, --region",
                "run --script install.sh --inventory hosts --json r.json|--json and --junit need --wait",
                "run --script install.sh --inventory hosts --list-hosts --wait|--list-hosts only lists the nodes",
                "rerun r1 --junit r.xml|--json and --junit need --wait"
            })
    void optionsThatDoNotGoTogetherAreAUsageErrorWithoutAContext(String example) {
        String[] args = example.split("\\|")[0].split(" ");

        assertThat(Cli.answerWithoutContext(args)).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("lazarus: " + example.split("\\|")[1]);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void optionsThatGoTogetherAreLeftToTheCommand() {
        assertThat(Cli.answerWithoutContext("run", "--script", "install.sh", "--inventory", "hosts"))
                .isNull();
        assertThat(Cli.answerWithoutContext("run", "--script", "install.sh", "--ec2-filter", "tag:role=web"))
                .isNull();
        assertThat(Cli.answerWithoutContext(
                        "run", "--script", "install.sh", "--inventory", "hosts", "--list-hosts", "--json", "-"))
                .isNull();
        assertThat(Cli.answerWithoutContext("rerun", "r1", "--wait", "--junit", "r.xml"))
                .isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void versionAndCompletionAreAnsweredWithoutAContext() {
        assertThat(Cli.answerWithoutContext("version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("lazarus ")
                .contains("java " + System.getProperty("java.version"), "message schema version 1");
        out.reset();

        assertThat(Cli.answerWithoutContext("completion")).isZero();
        String script = out.toString(StandardCharsets.UTF_8);
        assertThat(script).contains("complete -F _complete_lazarus", "--list-hosts", "--ec2-filter");
        String topLevel = script.lines()
                .filter(line -> line.contains("local commands=\""))
                .findFirst()
                .orElseThrow();
        assertThat(topLevel.split("\"")[1].split(" "))
                .contains(
                        "run",
                        "status",
                        "watch",
                        "report",
                        "resurrect",
                        "quarantine",
                        "ec2",
                        "broker",
                        "version",
                        "completion");
    }

    /**
     * The service dispatches a run handed to it: the command reads its settings, the inventory and the script, and
     * talks HTTP, with no Spring context (about a second of start-up); what it refuses it refuses as before.
     */
    @Test
    void aRunHandedToAServiceIsAnsweredWithoutAContext(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.1.0.1\n127.1.0.2 name=web-2\n");
        Path broken = Files.writeString(dir.resolve("broken"), "127.1.0.1\nbad host:99999\n");
        Path script = Files.writeString(dir.resolve("install.sh"), "true\n");
        String nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = "http://127.0.0.1:" + socket.getLocalPort();
        }

        assertThat(Cli.answerWithoutContext(
                        "run", "--inventory", hosts.toString(), "--script", script.toString(), "--server", nobody))
                .isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("a refused connection is named as one (the JDK's exception has no message)")
                .isEqualTo("lazarus: cannot reach the service at %s/: connection refused%n", nobody);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as("nothing logged where the run id goes")
                .isEmpty();
        err.reset();

        assertThat(Cli.answerWithoutContext(
                        "run", "--inventory", broken.toString(), "--script", script.toString(), "--server=" + nobody))
                .isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("lazarus: bad inventory:%n  %s:2: expected key=value after the host, got 'host:99999'%n"
                        .formatted(broken));
        err.reset();

        assertThat(Cli.answerWithoutContext(
                        "run", "--inventory", hosts.toString(), "--script", script.toString(), "--wait", "--json", "-"))
                .as("a run dispatched from here")
                .isNull();
        assertThat(Cli.answerWithoutContext(
                        "run", "--ec2-filter", "tag:Role=web", "--script", script.toString(), "--server", nobody))
                .as("EC2 discovery")
                .isNull();
        assertThat(Cli.answerWithoutContext(
                        "run",
                        "--inventory",
                        hosts.toString(),
                        "--script",
                        script.toString(),
                        "--server",
                        nobody,
                        "--metrics-port",
                        "0"))
                .as("a metrics endpoint")
                .isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void versionAndTheHelpCommandAreAnsweredToo() {
        assertThat(Cli.answerWithoutContext("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("lazarus ");
        out.reset();
        assertThat(Cli.answerWithoutContext("help", "status")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: lazarus status");
    }

    @Test
    void usageErrorsAreOneLineAndWhereToReadMore() {
        assertThat(Cli.answerWithoutContext("run", "--inventory", "hosts", "--script", "x", "--frobnicate"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("lazarus: Unknown option: '--frobnicate'%nsee lazarus run --help%n".formatted());
        err.reset();
        assertThat(Cli.answerWithoutContext("keys")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("lazarus: Missing required subcommand", "see lazarus keys --help");
        err.reset();
        assertThat(Cli.answerWithoutContext("stauts", "r1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unmatched arguments", "status");
        assertThat(out.size()).isZero();
    }

    @Test
    void workIsLeftForTheContext() {
        assertThat(Cli.answerWithoutContext("run", "--inventory", "hosts", "--script", "install.sh", "--wait"))
                .isNull();
        assertThat(Cli.answerWithoutContext("status", "20261130-232546-b04606")).isNull();
        assertThat(Cli.answerWithoutContext("keys", "show")).isNull();
        assertThat(out.size() + err.size()).isZero();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return; // picocli's help command; versionAndTheHelpCommandAreAnsweredToo
            }
            List<String> next = new ArrayList<>(path);
            next.add(name);
            paths.add(next);
            collect(sub, next, paths);
        });
    }
}
