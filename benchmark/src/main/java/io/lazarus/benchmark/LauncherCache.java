package io.lazarus.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether {@code ./lazarus} starts from the build's JDK AOT cache, decided as the launcher decides it: the cache
 * exists and is newer than the coordinator jar. A build with {@code -Dlazarus.aot.skip} (the system tests' build, for
 * one) leaves an older cache behind, and the launcher says so only at a terminal: without this line a benchmark would
 * print a command's start and help times twice as slow as a user's, and nothing would tell why.
 */
final class LauncherCache {

    private LauncherCache() {}

    /** What to tell the reader when the commands will start without the cache; empty when they start from it. */
    static Optional<String> absent(Path sourceRoot) throws IOException {
        Path target = sourceRoot.resolve("coordinator/target");
        Path jar = target.resolve("lazarus-coordinator.jar");
        Path cache = target.resolve("lazarus/lazarus.aot");
        if (!Files.exists(cache) || !Files.exists(target.resolve("lazarus/lazarus-coordinator.jar"))) {
            return Optional.of("lazarus: no AOT cache at " + cache + ": the commands start without it, slower;"
                    + " ./mvnw -B -q -DskipTests package builds it");
        }
        if (Files.exists(jar) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) <= 0) {
            return Optional.of("lazarus: " + cache + " is older than " + jar + ": the commands start without it,"
                    + " slower (a build with -Dlazarus.aot.skip left it behind); ./mvnw -B -q -DskipTests package"
                    + " rebuilds it");
        }
        return Optional.empty();
    }
}
