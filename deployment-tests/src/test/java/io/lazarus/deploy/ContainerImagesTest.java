package io.lazarus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.deploy.Dockerfile.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Dockerfile builds from what the context holds, on base images that exist, into images fit to run. */
class ContainerImagesTest {

    /**
     * Public tags that exist, and that /work/shared/tools/docker-standins.sh builds locally where no image registry
     * can be reached.
     */
    static final Set<String> BASE_IMAGES =
            Set.of("eclipse-temurin:25-jdk", "eclipse-temurin:25-jre", "rabbitmq:4.1-management", "postgres:17");

    static final Set<String> TARGETS = Set.of("worker", "coordinator", "fleet");

    private final Path root = Repository.root();
    private final Dockerfile dockerfile = new Dockerfile(root);

    @Test
    void everyCopySourceIsInTheBuildContext() {
        List<Instruction> copies = dockerfile.all("COPY");
        assertThat(copies).isNotEmpty();
        for (Instruction copy : copies) {
            List<String> words = copy.words();
            String from = words.stream()
                    .filter(w -> w.startsWith("--from="))
                    .map(w -> w.substring(7))
                    .findFirst()
                    .orElse(null);
            List<String> sources = words.subList(0, words.size() - 1).stream()
                    .filter(w -> !w.startsWith("--"))
                    .toList();
            if (from != null) {
                assertThat(dockerfile.stages()).as(copy.toString()).containsKey(from);
                continue;
            }
            assertThat(sources).as(copy.toString()).isNotEmpty().allSatisfy(source -> {
                assertThat(root.resolve(source)).exists();
                assertThat(source.equals(".") || !dockerfile.ignores(source))
                        .as(source + " left out by .dockerignore")
                        .isTrue();
            });
        }
        assertThat(dockerfile.all("ADD")).as("COPY, not ADD").isEmpty();
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndSecrets() {
        assertThat(dockerfile.ignores("worker/target/lazarus-worker.jar")).isTrue();
        assertThat(dockerfile.ignores("target")).isTrue();
        assertThat(dockerfile.ignores("docker/secrets/ssh_key")).isTrue();
        assertThat(dockerfile.ignores(".git/config")).isTrue();
        assertThat(dockerfile.ignores("worker/src/main/java")).isFalse();
        assertThat(dockerfile.ignores("docker/entrypoint.sh")).isFalse();
    }

    @Test
    void everyStageStartsFromAKnownImageOrAnEarlierStage() {
        assertThat(dockerfile.stages()).containsKeys("build", "runtime").containsKeys(TARGETS.toArray(String[]::new));
        dockerfile
                .stages()
                .values()
                .forEach(base -> assertThat(dockerfile.stages().containsKey(base) || BASE_IMAGES.contains(base))
                        .as(base)
                        .isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker", "coordinator", "fleet"})
    void eachImageRunsAsItsOwnUserWithAHealthCheckAndContainerMemoryFlags(String target) {
        List<Instruction> chain = dockerfile.chain(target);

        assertThat(chain.stream()
                        .filter(i -> i.keyword().equals("USER"))
                        .toList()
                        .getLast()
                        .arguments())
                .isEqualTo("10001:10001");
        assertThat(chain).anyMatch(i -> i.keyword().equals("HEALTHCHECK"));
        assertThat(chain).anyMatch(i -> i.keyword().equals("ENTRYPOINT"));
        assertThat(chain)
                .anyMatch(i -> i.keyword().equals("ENV") && i.arguments().contains("-XX:MaxRAMPercentage"));
        assertThat(chain)
                .anyMatch(i -> i.keyword().equals("COPY")
                        && i.arguments().startsWith("--from=build ")
                        && (i.arguments().endsWith(" /app/lazarus.jar")
                                || i.arguments().endsWith(" /app/")));
    }

    /** Trust learned afresh in the container's own file at every restart is no trust: the image checks a mounted file. */
    @Test
    void theWorkerImageVerifiesHostKeysStrictlyAgainstAMountedKnownHosts() {
        List<String> env = dockerfile.chain("worker").stream()
                .filter(i -> i.keyword().equals("ENV"))
                .map(Instruction::arguments)
                .toList();

        assertThat(env)
                .anyMatch(e -> e.contains("LAZARUS_SSH_HOST_KEY_POLICY=strict")
                        && e.contains("LAZARUS_SSH_KNOWN_HOSTS=/etc/lazarus/known_hosts"));
    }

    /**
     * A worker's memory is its sessions: its image adds the collector, object headers and JIT tier the README measured,
     * before the training run, since an AOT cache is only good for the flags it was trained with.
     */
    @Test
    void theWorkerImageTrainsItsCacheWithTheMemorySettingsItRuns() {
        List<Instruction> chain = dockerfile.chain("worker");
        int settings =
                indexOf(chain, i -> i.keyword().equals("ENV") && i.arguments().contains("-XX:+UseSerialGC"));
        int training = indexOf(
                chain, i -> i.keyword().equals("RUN") && i.arguments().contains("-XX:AOTCacheOutput=/app/lazarus.aot"));

        assertThat(settings).as("the worker's memory settings").isNotNegative().isLessThan(training);
        assertThat(chain.get(settings).arguments())
                .startsWith("JAVA_OPTS=\"$JAVA_OPTS ")
                .contains("-XX:+UseCompactObjectHeaders", "-XX:TieredStopAtLevel=1");
        assertThat(dockerfile.chain("coordinator"))
                .as("the coordinator's commands keep the JVM's own collector")
                .noneMatch(i -> i.arguments().contains("-XX:+UseSerialGC"));
    }

    private static int indexOf(List<Instruction> chain, Predicate<Instruction> wanted) {
        for (int i = 0; i < chain.size(); i++) {
            if (wanted.test(chain.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theScriptsTheImagesAndComposeRunAreExecutable() {
        for (String script : List.of("docker/entrypoint.sh", "docker/make-secrets.sh", "mvnw")) {
            assertThat(Files.isExecutable(root.resolve(script))).as(script).isTrue();
        }
    }
}
