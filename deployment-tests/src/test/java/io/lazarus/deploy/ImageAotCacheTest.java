package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.deploy.Dockerfile.Instruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker and coordinator images run unpacked, from a JDK AOT cache trained in the image itself (a cache is only
 * good for the JVM and the class path it was trained with), and the entrypoint starts the JVM with it.
 */
class ImageAotCacheTest {

    private final Path root = Repository.root();
    private final Dockerfile dockerfile = new Dockerfile(root);

    @Test
    void theBuildUnpacksTheWorkerAndTheCoordinatorJar() {
        assertThat(runs("build"))
                .anyMatch(run -> run.contains("for module in worker coordinator;")
                        && run.contains("java -Djarmode=tools -jar $module/target/lazarus-$module.jar extract")
                        && run.contains("--destination /out/$module --application-filename lazarus.jar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker", "coordinator"})
    void theImageTrainsItsCacheWhereItRunsOnTheUnpackedJarWithTheRuntimeFlags(String target) {
        List<Instruction> own = dockerfile.chain(target).stream()
                .filter(i -> target.equals(i.stage()))
                .toList();

        assertThat(own)
                .anyMatch(i ->
                        i.keyword().equals("COPY") && i.arguments().equals("--from=build /out/" + target + "/ /app/"));
        assertThat(runs(target))
                .anyMatch(run -> run.contains("java $JAVA_OPTS -XX:AOTCacheOutput=/app/lazarus.aot")
                        && run.contains("-Dspring.context.exit=onRefresh")
                        && run.contains("-jar /app/lazarus.jar")
                        && run.contains("chmod 0644 /app/lazarus.aot"));
        assertThat(own.getLast().keyword()).isEqualTo(target.equals("worker") ? "HEALTHCHECK" : "CMD");
        assertThat(own.stream()
                        .filter(i -> i.keyword().equals("USER"))
                        .toList()
                        .getLast()
                        .arguments())
                .isEqualTo("10001:10001");
    }

    @Test
    void theCoordinatorHasASmallCacheForHelpAndVersion() {
        assertThat(runs("coordinator"))
                .anyMatch(run -> run.contains("-XX:AOTCacheOutput=/app/lazarus-help.aot")
                        && run.contains("-jar /app/lazarus.jar --help"));
    }

    /** A run handed to a service starts no Spring context: a cache of its own, trained against nobody. */
    @Test
    void theCoordinatorHasACacheForARunHandedToAService() {
        assertThat(runs("coordinator"))
                .anyMatch(run -> run.contains("-XX:AOTCacheOutput=/app/lazarus-served.aot")
                        && run.contains("-Dlazarus.service.api-token=aot-training-not-a-secret")
                        && run.contains("run --server=http://127.0.0.1:1")
                        && run.contains("chmod 0644 /app/lazarus.aot /app/lazarus-help.aot /app/lazarus-served.aot"));
    }

    /** The worker's training start meets no broker and no SSH node: a throwaway key and an empty known_hosts. */
    @Test
    void theWorkersTrainingStartNeedsNoMountedKeyOrKnownHosts() {
        assertThat(runs("worker"))
                .anyMatch(run -> run.contains("LAZARUS_SSH_IDENTITY_FILE=$PWD/")
                        && run.contains("LAZARUS_SSH_KNOWN_HOSTS=$PWD/known_hosts")
                        && run.contains("rm -rf /tmp/aot-training"));
    }

    @Test
    void theEntrypointStartsWithTheCacheTheImageHas(@TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Files.writeString(app.resolve("lazarus.aot"), "");
        Path entrypoint = entrypoint(dir, app);

        assertThat(java(entrypoint, dir, Map.of(), "serve"))
                .startsWith("-XX:AOTCache=" + app + "/lazarus.aot -Xlog:aot*=off,cds*=off -Xmx64m ")
                .endsWith("-jar " + app + "/lazarus.jar serve");
        assertThat(java(entrypoint, dir, Map.of(), "--version")).contains("-XX:AOTCache=" + app + "/lazarus.aot ");

        Files.writeString(app.resolve("lazarus-help.aot"), "");
        assertThat(java(entrypoint, dir, Map.of(), "--version")).contains("-XX:AOTCache=" + app + "/lazarus-help.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--help"))
                .contains("-XX:AOTCache=" + app + "/lazarus-help.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "status", "r1")).contains("-XX:AOTCache=" + app + "/lazarus.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--server", "https://lazarus", "--inventory", "hosts"))
                .as("without a cache of its own, a served run takes the run's")
                .contains("-XX:AOTCache=" + app + "/lazarus.aot ");

        Files.writeString(app.resolve("lazarus-served.aot"), "");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--server", "https://lazarus", "--inventory", "hosts"))
                .contains("-XX:AOTCache=" + app + "/lazarus-served.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--inventory", "hosts", "--server=https://lazarus"))
                .contains("-XX:AOTCache=" + app + "/lazarus-served.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--server", "https://lazarus", "--help"))
                .contains("-XX:AOTCache=" + app + "/lazarus-help.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--server", "https://lazarus", "--ec2-filter", "tag:a=b"))
                .as("EC2 discovery starts the Spring context")
                .contains("-XX:AOTCache=" + app + "/lazarus.aot ");
        assertThat(java(entrypoint, dir, Map.of(), "run", "--inventory", "hosts", "--script", "install.sh"))
                .contains("-XX:AOTCache=" + app + "/lazarus.aot ");

        assertThat(java(entrypoint, dir, Map.of("LAZARUS_AOT_CACHE", "off"), "serve"))
                .isEqualTo("-Xmx64m -jar " + app + "/lazarus.jar serve");
        Files.delete(app.resolve("lazarus.aot"));
        assertThat(java(entrypoint, dir, Map.of(), "serve")).isEqualTo("-Xmx64m -jar " + app + "/lazarus.jar serve");
    }

    private List<String> runs(String stage) {
        return dockerfile.all("RUN").stream()
                .filter(i -> stage.equals(i.stage()))
                .map(i -> i.arguments().replaceAll("\\s+", " "))
                .toList();
    }

    /** The image's entrypoint with its /app in {@code app}, and a java on the PATH that prints its arguments. */
    private Path entrypoint(Path dir, Path app) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = Files.readString(root.resolve("docker/entrypoint.sh"));
        assertThat(script).contains("/app/lazarus.aot", "/app/lazarus-help.aot", "-jar /app/lazarus.jar");
        Path copy = dir.resolve("entrypoint.sh");
        Files.writeString(copy, script.replace("/app/", app + "/"));
        return copy;
    }

    private static String java(Path entrypoint, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", entrypoint.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().put("JAVA_OPTS", "-Xmx64m");
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
