package io.lazarus.testkit.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built jars are, and what the processes that run them need. */
public final class Processes {

    private Processes() {}

    /**
     * {@code LAZARUS_SOURCE_ROOT} if set (Maven sets it for tests), else the current directory when it is the source
     * root, else its parent (a module directory, where an IDE runs a module's tests).
     */
    public static Path sourceRoot() {
        String root = System.getenv("LAZARUS_SOURCE_ROOT");
        if (root != null) {
            return Path.of(root);
        }
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("mvnw")) ? here : here.getParent();
    }

    public static Path jar(String module, String name) {
        Path jar = sourceRoot().resolve(module).resolve("target").resolve(name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B package -DskipTests), and run"
                    + " from the source root or set LAZARUS_SOURCE_ROOT");
        }
        return jar;
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code <module>/target/process-logs}, created if needed. */
    public static Path logs(String module) throws IOException {
        return Files.createDirectories(sourceRoot().resolve(module).resolve("target/process-logs"));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An empty directory: where test processes look for broker credentials files, and find none. */
    public static synchronized java.nio.file.Path noCredentials() {
        try {
            if (noCredentials == null) {
                noCredentials = java.nio.file.Files.createTempDirectory("lazarus-no-broker-credentials");
            }
            return noCredentials;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.nio.file.Path noCredentials;
}
