package io.lazarus.testkit.rabbit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code rabbitmqctl} aimed at one node with that node's cookie. RabbitMQ's own scripts are called, not Debian's
 * {@code /usr/sbin} wrappers: run as root, those switch to the user {@code rabbitmq} and its home, whose cookie is
 * the shared broker's.
 */
final class Rabbitmqctl {

    private static final Path PACKAGED = Path.of("/usr/lib/rabbitmq/bin");

    private final String nodeName;
    private final String cookie;
    private final Path home;

    Rabbitmqctl(String nodeName, String cookie, Path home) {
        this.nodeName = nodeName;
        this.cookie = cookie;
        this.home = home;
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** One of RabbitMQ's scripts: Debian's package location, else the {@code PATH}. */
    static Path script(String name) {
        Path packaged = PACKAGED.resolve(name);
        if (Files.isExecutable(packaged)) {
            return packaged;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found in " + PACKAGED + " nor on the PATH: install RabbitMQ"
                + " (apt-get install rabbitmq-server); the tests start RabbitMQ nodes of their own");
    }

    String runOrFail(Duration timeout, String... args) throws InterruptedException {
        return runOrFail("rabbitmqctl", timeout, args);
    }

    String runOrFail(String tool, Duration timeout, String... args) throws InterruptedException {
        Result result = run(tool, timeout, args);
        if (!result.ok()) {
            throw new IllegalStateException(tool + " -n " + nodeName + " " + String.join(" ", args) + " exited "
                    + result.exitCode() + ": " + result.output().strip());
        }
        return result.output();
    }

    Result run(Duration timeout, String... args) throws InterruptedException {
        return run("rabbitmqctl", timeout, args);
    }

    Result run(String tool, Duration timeout, String... args) throws InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(script(tool).toString(), "-n", nodeName, "--erlang-cookie", cookie));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("rabbitmqctl", ".out");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("HOME", home.toString());
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout + ": " + Files.readString(output));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run rabbitmqctl", e);
        }
    }
}
