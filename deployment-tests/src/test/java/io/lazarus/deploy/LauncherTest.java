package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lazarus} starts the JVM from the AOT cache the build trained for what the command line asks: help and
 * version from a small one, a run handed to a service from its own, everything else from the run's.
 */
class LauncherTest {

    private static final Instant BUILT = Instant.parse("2026-12-05T06:00:00Z");

    @TempDir
    Path root;

    private Path unpacked;

    @BeforeEach
    void build() throws Exception {
        Files.copy(Repository.root().resolve("lazarus"), root.resolve("lazarus"));
        Path jar = Files.writeString(
                Files.createDirectories(root.resolve("coordinator/target")).resolve("lazarus-coordinator.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(BUILT));
        unpacked = Files.createDirectories(root.resolve("coordinator/target/lazarus"));
        Files.writeString(unpacked.resolve("lazarus-coordinator.jar"), "unpacked");
        for (String cache : List.of("lazarus.aot", "lazarus-help.aot", "lazarus-served.aot")) {
            Files.setLastModifiedTime(
                    Files.writeString(unpacked.resolve(cache), ""), FileTime.from(BUILT.plusSeconds(30)));
        }
        // a Java 25 whose java prints the arguments it was given
        Path bin = Files.createDirectories(root.resolve("jdk/bin"));
        Files.writeString(root.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void helpAndVersionStartFromTheSmallCache() throws Exception {
        assertThat(launch("--help")).contains(cache("lazarus-help.aot"));
        assertThat(launch("--version")).contains(cache("lazarus-help.aot"));
        assertThat(launch("run", "--server", "https://lazarus", "--help")).contains(cache("lazarus-help.aot"));
    }

    @Test
    void aRunHandedToAServiceStartsFromItsOwnCache() throws Exception {
        assertThat(launch("run", "--server", "https://lazarus", "--inventory", "hosts", "--script", "install.sh"))
                .contains(cache("lazarus-served.aot"))
                .endsWith("run --server https://lazarus --inventory hosts --script install.sh");
        assertThat(launch("run", "--inventory", "hosts", "--server=https://lazarus", "--wait"))
                .contains(cache("lazarus-served.aot"));
    }

    @Test
    void whatStartsTheSpringContextStartsFromTheRunsCache() throws Exception {
        assertThat(launch("run", "--inventory", "hosts", "--script", "install.sh"))
                .contains(cache("lazarus.aot"));
        assertThat(launch("run", "--server", "https://lazarus", "--ec2-filter", "tag:role=web"))
                .contains(cache("lazarus.aot"));
        assertThat(launch("run", "--server", "https://lazarus", "--metrics-port", "9400"))
                .contains(cache("lazarus.aot"));
        assertThat(launch("run", "--server", "https://lazarus", "--list-hosts")).contains(cache("lazarus.aot"));
        assertThat(launch("status", "--server", "https://lazarus")).contains(cache("lazarus.aot"));
    }

    @Test
    void aCacheOlderThanTheJarIsPassedOver() throws Exception {
        Files.setLastModifiedTime(unpacked.resolve("lazarus-served.aot"), FileTime.from(BUILT.minusSeconds(60)));

        assertThat(launch("run", "--server", "https://lazarus", "--inventory", "hosts"))
                .doesNotContain("-XX:AOTCache")
                .contains("-jar " + root.resolve("coordinator/target/lazarus-coordinator.jar"));
    }

    private String cache(String name) {
        return "-XX:AOTCache=" + unpacked.resolve(name) + " ";
    }

    private String launch(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("sh", root.resolve("lazarus").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
