package io.lazarus.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built jars are, and what the processes that run them need. */
final class Processes {

    private Processes() {
    }

    static Path sourceRoot() {
        String root = System.getenv("LAZARUS_SOURCE_ROOT");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    static Path jar(String module, String name) {
        Path jar = sourceRoot().resolve(module).resolve("target").resolve(name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw verify builds it before these tests)");
        }
        return jar;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static Path logs() throws IOException {
        return Files.createDirectories(sourceRoot().resolve("system-tests/target/process-logs"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
