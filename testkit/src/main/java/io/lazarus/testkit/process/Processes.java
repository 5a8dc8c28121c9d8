package io.lazarus.testkit.process;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * The arguments that start a built jar: its unpacked copy in {@code directory} beside the jar, with that copy's
     * JDK AOT cache {@code lazarus.aot}, when the build trained the cache after it built the jar, as {@code ./lazarus}
     * does (half the start-up of a worker or a service); the jar itself after a build with {@code -Dlazarus.aot.skip}.
     * A cache the JVM's other options do not fit is passed over without a word.
     */
    public static List<String> jarArguments(Path jar, String directory) throws IOException {
        Path unpacked = jar.resolveSibling(directory).resolve(jar.getFileName());
        Path cache = unpacked.resolveSibling("lazarus.aot");
        boolean trained = Files.isRegularFile(unpacked)
                && Files.isRegularFile(cache)
                && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0;
        return trained
                ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off,cds*=off", "-jar", unpacked.toString())
                : List.of("-jar", jar.toString());
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code <module>/target/process-logs}, created if needed. */
    public static Path logs(String module) throws IOException {
        return Files.createDirectories(sourceRoot().resolve(module).resolve("target/process-logs"));
    }

    /**
     * A port nothing listens on, for a process to listen on later. It lies outside the kernel's range of ephemeral
     * ports: one from that range (what {@code new ServerSocket(0)} gives) can be taken, between this call and the
     * process's bind or a restarted process's, as the local port of any outgoing connection on the machine.
     */
    public static int freePort() throws IOException {
        int[] ephemeral = ephemeralPorts();
        int low = ephemeral[0] > 11_000 ? 10_000 : ephemeral[1] + 1;
        int high = ephemeral[0] > 11_000 ? ephemeral[0] - 1 : 65_535;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(low, high + 1);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (BindException taken) {
                // another one
            }
        }
        throw new IOException("no free port between " + low + " and " + high + " after 200 attempts");
    }

    /** procfs reports its files as empty: read by lines, not by size. */
    private static int[] ephemeralPorts() {
        try {
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .getFirst()
                    .trim()
                    .split("\\s+");
            return new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999}; // Linux's default
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
