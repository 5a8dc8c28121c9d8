package io.lazarus.testkit.process;

import io.lazarus.testkit.RabbitBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@code ./lazarus ...} (the launcher of {@code coordinator/target/lazarus-coordinator.jar}): the command as a user runs it. */
public final class LazarusCli {

    private final String brokerAddresses;
    private final Path registry;
    private final Map<String, String> environment;

    public LazarusCli(RabbitBroker broker) {
        this(broker.uri().toString());
    }

    /** Commands of this instance share a registry of their own, apart from the user's {@code ~/.lazarus}. */
    public LazarusCli(String brokerAddresses) {
        this(brokerAddresses, newRegistry(), Map.of());
    }

    private LazarusCli(String brokerAddresses, Path registry, Map<String, String> environment) {
        this.brokerAddresses = brokerAddresses;
        this.registry = registry;
        this.environment = Map.copyOf(environment);
    }

    /** The same commands with more environment, for example {@code LAZARUS_SERVICE_API_TOKEN}. */
    public LazarusCli withEnvironment(Map<String, String> more) {
        Map<String, String> merged = new java.util.HashMap<>(environment);
        merged.putAll(more);
        return new LazarusCli(brokerAddresses, registry, merged);
    }

    /** A registry directory that goes when this JVM does: a 5000-node run leaves 180 MB in it. */
    private static Path newRegistry() {
        try {
            Path registry = Files.createTempDirectory("lazarus-registry");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> paths = Files.walk(registry)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                } catch (IOException e) {
                    System.err.println("could not delete the test registry " + registry + ": " + e);
                }
            }));
            return registry;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where this instance's commands keep their registry ({@code lazarus.registry.directory}). */
    public Path registry() {
        return registry;
    }

    /** The runs in this instance's registry: a command records a run before it publishes any of its messages. */
    public int recordedRuns() throws SQLException {
        if (!Files.exists(registry.resolve("registry.mv.db"))) {
            return 0;
        }
        try (Connection db = DriverManager.getConnection(
                        "jdbc:h2:file:" + registry.resolve("registry")
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE",
                        "lazarus",
                        "");
                ResultSet count = db.createStatement().executeQuery("select count(*) from runs")) {
            count.next();
            return count.getInt(1);
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        public String runId() {
            String first = stdoutLines().isEmpty() ? "" : stdoutLines().getFirst();
            if (!first.startsWith("run ")) {
                throw new AssertionError("first line is not the run id: " + first + "\n" + this);
            }
            return first.substring(4);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return start(args).await();
    }

    /** Starts the command without waiting for it. */
    public Running start(String... args) throws IOException {
        Processes.jar("coordinator", "lazarus-coordinator.jar");
        // through the launcher users run, on this JVM
        List<String> command = new ArrayList<>(
                List.of(Processes.sourceRoot().resolve("lazarus").toString()));
        command.addAll(List.of(args));
        if (interruptIgnored()) {
            // a test run started in the background (`mvn verify &`) hands its commands SIGINT ignored, and the JVM
            // then keeps it so: the command gets the default back, as at a terminal, where a user's Ctrl-C lands
            command.addAll(0, List.of("env", "--default-signal=INT"));
        }
        Path out = Files.createTempFile("lazarus-cli", ".out");
        Path err = Files.createTempFile("lazarus-cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("SPRING_RABBITMQ_ADDRESSES", brokerAddresses);
        builder.environment().put("LAZARUS_REGISTRY_DIRECTORY", registry.toString());
        // the tests' workers log in as the tests' broker user: the registry takes their word
        builder.environment().put("LAZARUS_TRUST_WORKER_USERS", brokerUser(brokerAddresses));
        // never the role credentials lazarus broker setup left in this machine's ~/.lazarus/broker
        builder.environment()
                .put(
                        "LAZARUS_BROKER_CREDENTIALS_DIRECTORY",
                        Processes.noCredentials().toString());
        builder.environment().putAll(environment);
        builder.environment()
                .put(
                        "JAVA_HOME",
                        Path.of(Processes.java()).getParent().getParent().toString());
        return new Running(builder.start(), out, err, args);
    }

    /** Whether this process was started with SIGINT ignored, as a shell starts its background jobs. */
    private static boolean interruptIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .map(line -> Long.parseUnsignedLong(
                            line.substring("SigIgn:".length()).strip(), 16))
                    .anyMatch(ignored -> (ignored & (1L << 1)) != 0); // bit n - 1 for signal n; SIGINT is 2
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static String brokerUser(String addresses) {
        String first = addresses.split(",")[0].trim();
        String userInfo = java.net.URI.create(first).getUserInfo();
        return userInfo == null ? "guest" : userInfo.split(":")[0];
    }

    public record Running(Process process, Path out, Path err, String[] args) {
        public Result await() throws IOException, InterruptedException {
            return await(Duration.ofMinutes(5));
        }

        /**
         * Waits for the command to exit, then returns what it printed; the files it printed into are deleted. A command
         * still running after the timeout fails the test with what it printed so far and where each of its threads
         * stood, then is killed.
         */
        public Result await(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String threads = threadDump();
                process.destroyForcibly();
                throw new AssertionError("lazarus " + String.join(" ", args) + " did not finish within " + timeout
                        + "\n--- its standard output, the end ---\n" + tail(out)
                        + "\n--- its standard error, the end ---\n" + tail(err)
                        + "\n--- its threads ---\n" + threads);
            }
            return awaitAtMost(Duration.ZERO).orElseThrow();
        }

        private String threadDump() throws InterruptedException {
            Path jcmd = Path.of(Processes.java()).resolveSibling("jcmd");
            try {
                Path printed = Files.createTempFile("lazarus-threads", ".txt");
                try {
                    Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                            .redirectErrorStream(true)
                            .redirectOutput(printed.toFile())
                            .start();
                    if (!dump.waitFor(15, TimeUnit.SECONDS)) {
                        dump.destroyForcibly();
                    }
                    return Files.readString(printed, StandardCharsets.UTF_8);
                } finally {
                    Files.deleteIfExists(printed);
                }
            } catch (IOException e) {
                return "(no thread dump: " + e.getMessage() + ")";
            }
        }

        private static String tail(Path file) throws IOException {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        }

        /** As {@link #await(Duration)}, but a command still running after the timeout is killed and gives nothing. */
        public Optional<Result> awaitAtMost(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            try {
                return Optional.of(new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8)));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }
}
