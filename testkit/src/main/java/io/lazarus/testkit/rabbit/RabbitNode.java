package io.lazarus.testkit.rabbit;

import io.lazarus.testkit.RabbitBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An extra RabbitMQ node that a test starts on this machine, on loopback, and stops: its own node name
 * ({@code lazarus-test-<port>@localhost}), AMQP, TLS and distribution ports, configuration, Erlang cookie, data and
 * log directories. It never touches the broker the tests were given, so a test may stop it, restart it or give it a
 * TLS listener. Nodes started with one {@link Builder#cookie cookie} can be clustered
 * ({@code rabbitmqctl("join_cluster", other.nodeName())} between {@link #stopApp} and {@link #startApp}).
 *
 * <p>Needs RabbitMQ's scripts ({@code apt-get install rabbitmq-server}: {@code .ci/run} installs it). Run as root, the
 * node runs as the user {@code rabbitmq}, as the packaged broker does; otherwise as the current user. Without them it
 * fails loudly; it never skips.
 */
public final class RabbitNode implements AutoCloseable {

    public static final String USER = "guest";
    public static final String PASSWORD = "guest";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final String nodeName;
    private final NodePorts ports;
    private final NodeFiles files;
    private final Rabbitmqctl ctl;
    private volatile Process process;
    private final Path keepLogsIn;
    private final Thread shutdownHook;
    private boolean closed;

    /** The TLS listener's certificate, private key and the CA that issued it (PEM files). */
    public record Tls(Path certificate, Path key, Path caCertificate) {}

    private RabbitNode(
            String nodeName, NodePorts ports, NodeFiles files, Rabbitmqctl ctl, Process process, Path keepLogsIn) {
        this.nodeName = nodeName;
        this.ports = ports;
        this.files = files;
        this.ctl = ctl;
        this.process = process;
        this.keepLogsIn = keepLogsIn;
        // a test JVM that ends without closing its node must not leave a broker running on the machine
        this.shutdownHook = new Thread(this::closeQuietly, "stop " + nodeName);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String cookie = newCookie();
        private Tls tls;
        private Path keepLogsIn;

        /** The Erlang cookie; nodes that are to form a cluster need the same one. A random one by default. */
        public Builder cookie(String cookie) {
            this.cookie = cookie;
            return this;
        }

        /** Adds a TLS listener ({@link #amqpsUri()}) with this certificate and key, next to the plain one. */
        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        /** When the node is closed, its logs are copied here before its directory is removed. */
        public Builder keepLogsIn(Path directory) {
            this.keepLogsIn = directory;
            return this;
        }

        /** Starts the node and returns once it accepts connections ({@code rabbitmqctl await_startup}). */
        public RabbitNode start() {
            try {
                return RabbitNode.start(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting a RabbitMQ node", e);
            }
        }
    }

    public static String newCookie() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).toUpperCase();
    }

    private static RabbitNode start(Builder settings) throws IOException, InterruptedException {
        Leftovers.sweep();
        NodePorts ports = NodePorts.free(settings.tls != null);
        String nodeName = "lazarus-test-" + ports.amqp() + "@localhost";
        NodeFiles files = NodeFiles.write(nodeName, ports, settings.cookie, settings.tls);
        if (runsAsRoot()) {
            files.chown(
                    files.base().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("rabbitmq"));
        }
        RabbitNode node = new RabbitNode(
                nodeName,
                ports,
                files,
                new Rabbitmqctl(nodeName, settings.cookie, files.base()),
                launch(nodeName, ports, files),
                settings.keepLogsIn);
        try {
            node.awaitStartup();
            return node;
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
    }

    private static Process launch(String nodeName, NodePorts ports, NodeFiles files) throws IOException {
        List<String> command = new ArrayList<>();
        if (runsAsRoot()) {
            command.addAll(List.of("runuser", "-u", "rabbitmq", "--"));
        }
        command.add("env");
        files.serverEnvironment(nodeName, ports).forEach((name, value) -> command.add(name + "=" + value));
        command.add(Rabbitmqctl.script("rabbitmq-server").toString());
        return new ProcessBuilder(command)
                .directory(files.base().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.console().toFile()))
                .start();
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void awaitStartup() throws InterruptedException {
        long until = System.nanoTime() + STARTUP.toNanos();
        String last = "";
        while (System.nanoTime() - until < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "RabbitMQ node " + nodeName + " exited with " + process.exitValue() + ":\n" + consoleTail());
            }
            // fails at once while the node has not registered its name yet; waits while it boots
            Rabbitmqctl.Result result = ctl.run(Duration.ofSeconds(90), "await_startup", "--timeout", "60");
            if (result.ok()) {
                return;
            }
            last = result.output();
            Thread.sleep(300);
        }
        throw new IllegalStateException(
                "RabbitMQ node " + nodeName + " not started within " + STARTUP + ": " + last + "\n" + consoleTail());
    }

    /** {@code rabbitmqctl -n NODE args...} as this node's operator; fails with its output unless it exits 0. */
    public String rabbitmqctl(String... args) {
        try {
            return ctl.runOrFail(Duration.ofMinutes(2), args);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the RabbitMQ application: the node stays up, every client connection to it drops. */
    public void stopApp() {
        rabbitmqctl("stop_app");
    }

    /** Starts the RabbitMQ application again and returns once it accepts connections. */
    public void startApp() {
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup", "--timeout", "60");
    }

    /**
     * {@code kill -9} of the node's Erlang VM: no goodbye to its peers or clients, as when a machine dies. Its data
     * stays, so {@link #restart} brings the same node back.
     */
    public void kill() throws InterruptedException {
        long pid = Long.parseLong(rabbitmqctl("eval", "os:getpid().").strip().replace("\"", ""));
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(nodeName + " still runs 30 s after kill -9 of " + pid);
        }
    }

    /** Starts the node again after {@link #kill}, with its data, and returns once it accepts connections. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException(nodeName + " is running");
        }
        process = launch(nodeName, ports, files);
        awaitStartup();
    }

    /** {@code tool -n NODE args...} for one of RabbitMQ's other tools, e.g. {@code rabbitmq-queues}. */
    public String tool(String tool, String... args) {
        try {
            return ctl.runOrFail(tool, Duration.ofMinutes(2), args);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public String nodeName() {
        return nodeName;
    }

    public int amqpPort() {
        return ports.amqp();
    }

    /** The TLS listener's port; fails for a node started without TLS. */
    public int tlsPort() {
        if (ports.tls() == 0) {
            throw new IllegalStateException(nodeName + " was started without a TLS listener");
        }
        return ports.tls();
    }

    /** {@code amqp://guest:guest@127.0.0.1:PORT}: the plain listener, vhost {@code /}. */
    public URI amqpUri() {
        return URI.create("amqp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + ports.amqp());
    }

    /** {@code amqps://guest:guest@localhost:PORT}: the TLS listener by the name its test certificate carries. */
    public URI amqpsUri() {
        return URI.create("amqps://" + USER + ":" + PASSWORD + "@localhost:" + tlsPort());
    }

    /** This node through its plain listener, as the tests' other broker helpers expect it. */
    public RabbitBroker broker() {
        return RabbitBroker.at(amqpUri());
    }

    private String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(files.console(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
    }

    /** Stops the node (the whole Erlang VM) and removes its directory, after keeping its logs if asked to. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        try {
            if (process.isAlive()) {
                ctl.run(Duration.ofSeconds(60), "stop");
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (keepLogsIn != null) {
                files.keepLogs(nodeName, keepLogsIn);
            }
            files.delete();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up after RabbitMQ node " + nodeName, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public String toString() {
        return nodeName + " (amqp " + ports.amqp() + (ports.tls() == 0 ? "" : ", amqps " + ports.tls()) + ")";
    }
}
