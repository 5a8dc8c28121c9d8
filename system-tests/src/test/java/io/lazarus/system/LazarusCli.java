package io.lazarus.system;

import io.lazarus.testkit.RabbitBroker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar coordinator/target/lazarus-coordinator.jar ...}: the {@code lazarus} command, as a user runs it. */
final class LazarusCli {

    private final String brokerAddresses;

    LazarusCli(RabbitBroker broker) {
        this(broker.uri().toString());
    }

    LazarusCli(String brokerAddresses) {
        this.brokerAddresses = brokerAddresses;
    }

    record Result(int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        String runId() {
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

    Result run(String... args) throws IOException, InterruptedException {
        return start(args).await();
    }

    /** Starts the command without waiting for it. */
    Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-jar",
                Processes.jar("coordinator", "lazarus-coordinator.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("lazarus-cli", ".out");
        Path err = Files.createTempFile("lazarus-cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("SPRING_RABBITMQ_ADDRESSES", brokerAddresses);
        return new Running(builder.start(), out, err, args);
    }

    record Running(Process process, Path out, Path err, String[] args) {
        Result await() throws IOException, InterruptedException {
            return LazarusCli.finish(process, out, err, args);
        }
    }

    private static Result finish(Process process, Path out, Path err, String[] args) throws IOException, InterruptedException {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("lazarus " + String.join(" ", args) + " did not finish within 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
