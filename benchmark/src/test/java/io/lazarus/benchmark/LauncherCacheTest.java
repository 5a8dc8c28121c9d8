package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherCacheTest {

    private static final Instant BUILT = Instant.parse("2026-12-05T06:00:00Z");

    @TempDir
    Path root;

    @Test
    void aCacheNewerThanTheJarIsUsed() throws Exception {
        build(BUILT.plusSeconds(15));

        assertThat(LauncherCache.absent(root)).isEmpty();
    }

    @Test
    void aCacheLeftBehindByALaterBuildIsNamedWithTheWayToRebuildIt() throws Exception {
        build(BUILT.minusSeconds(60));

        assertThat(LauncherCache.absent(root))
                .hasValueSatisfying(note -> assertThat(note)
                        .contains("lazarus.aot is older than")
                        .contains("-Dlazarus.aot.skip")
                        .contains("./mvnw -B -q -DskipTests package"));
    }

    @Test
    void noCacheAtAllIsNamedToo() throws Exception {
        Files.createDirectories(root.resolve("coordinator/target"));
        Files.writeString(root.resolve("coordinator/target/lazarus-coordinator.jar"), "jar");

        assertThat(LauncherCache.absent(root))
                .hasValueSatisfying(note -> assertThat(note).contains("no AOT cache at"));
    }

    private void build(Instant cacheWritten) throws Exception {
        Path target = Files.createDirectories(root.resolve("coordinator/target/lazarus"));
        Path jar = Files.writeString(root.resolve("coordinator/target/lazarus-coordinator.jar"), "jar");
        Files.writeString(target.resolve("lazarus-coordinator.jar"), "unpacked");
        Path cache = Files.writeString(target.resolve("lazarus.aot"), "cache");
        Files.setLastModifiedTime(jar, FileTime.from(BUILT));
        Files.setLastModifiedTime(cache, FileTime.from(cacheWritten));
    }
}
