package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker jar as a person first meets it: its help, and a start-up that cannot work. */
class WorkerStartupTest {

    @TempDir
    Path dir;

    @Test
    void theWorkerJarAnswersHelp() throws Exception {
        Result help = worker(Map.of(), "--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output())
                .startsWith("Usage: java -jar lazarus-worker.jar")
                .contains("LAZARUS_SSH_IDENTITY_FILE", "SPRING_RABBITMQ_ADDRESSES");
    }

    @Test
    void aMisconfiguredWorkerSaysWhyInOneParagraphWithoutAStackTrace() throws Exception {
        Path missingKey = dir.resolve("no-such-key");

        Result result = worker(Map.of(
                "LAZARUS_SSH_IDENTITY_FILE",
                missingKey.toString(),
                "SERVER_PORT",
                "0",
                "SPRING_RABBITMQ_ADDRESSES",
                RabbitBroker.shared().uri().toString()));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains("lazarus-worker: cannot start: lazarus.ssh.identity-file " + missingKey + " is not readable")
                .doesNotContain("${", "\tat ", "Exception", "ERROR");
    }

    @Test
    void aMaskPatternThatIsNotARegularExpressionStopsTheWorkerNamingIt() throws Exception {
        io.lazarus.testkit.ClientKey key = io.lazarus.testkit.ClientKey.generate(dir);

        Result result = worker(
                Map.of(
                        "LAZARUS_SSH_IDENTITY_FILE",
                        key.privateKey().toString(),
                        "SERVER_PORT",
                        "0",
                        "SPRING_RABBITMQ_ADDRESSES",
                        RabbitBroker.shared().uri().toString()),
                "--lazarus.worker.mask-patterns=broken(");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains("lazarus-worker: cannot start: lazarus.worker.mask-patterns: 'broken('"
                        + " is not a regular expression")
                .doesNotContain("\tat ");
    }

    @Test
    void theDefaultKeyPathIsTheUsersHomeNotAPlaceholder() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));

        Result result = worker(Map.of(
                "SERVER_PORT",
                "0",
                "JAVA_TOOL_OPTIONS",
                "-Duser.home=" + home,
                "SPRING_RABBITMQ_ADDRESSES",
                RabbitBroker.shared().uri().toString()));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains("lazarus.ssh.identity-file " + home.resolve(".ssh/id_ecdsa") + " is not readable")
                .doesNotContain("${user.home}");
    }

    @Test
    void theUnpackedWorkerStartsFromTheAotCacheTheBuildTrainedWithTheRecommendedFlags() throws Exception {
        Path jar = Processes.jar("worker", "lazarus-worker.jar");
        Path cache = jar.resolveSibling("worker").resolve("lazarus.aot");
        List<String> fromCache = Processes.jarArguments(jar, "worker");
        assertThat(fromCache)
                .as("%s trained after the jar was built (not by a build with -Dlazarus.aot.skip)", cache)
                .contains("-XX:AOTCache=" + cache);
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-XX:AOTMode=on"));
        command.addAll(WorkerProcess.RECOMMENDED_JVM_OPTIONS);
        command.addAll(fromCache);
        command.add("--help");

        // AOTMode=on: a cache the JVM cannot use for these flags and this class path ends the JVM with an error
        Result help = run(command, Map.of());

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: java -jar lazarus-worker.jar");
    }

    private record Result(int exitCode, String output) {}

    private Result worker(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Processes.java(),
                "-jar",
                Processes.jar("worker", "lazarus-worker.jar").toString()));
        command.addAll(List.of(args));
        return run(command, environment);
    }

    private Result run(List<String> command, Map<String, String> environment) throws Exception {
        Path output = Files.createTempFile(dir, "worker", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the worker did not end within 2 minutes:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
