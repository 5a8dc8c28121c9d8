package io.lazarus.testkit.rabbit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One node's directory: configuration, environment file, plugins file, Erlang cookie, TLS material, data and logs.
 * Everything the node reads is here, so it never reads the machine's {@code /etc/rabbitmq} (which pins the shared
 * broker's listener) and never touches the shared broker's data.
 */
record NodeFiles(Path base, Path config, Path mnesia, Path logs, Path console) {

    static NodeFiles write(String nodeName, NodePorts ports, String cookie, RabbitNode.Tls tls) throws IOException {
        Path base = Files.createTempDirectory("lazarus-rabbit-" + ports.amqp() + "-");
        // for Leftovers, should this JVM die without stopping the node
        Files.writeString(
                base.resolve(Leftovers.OWNER),
                Long.toString(ProcessHandle.current().pid()));
        Files.writeString(base.resolve(Leftovers.NODE), nodeName);
        Path mnesia = Files.createDirectories(base.resolve("mnesia"));
        Path logs = Files.createDirectories(base.resolve("log"));
        List<String> config = new ArrayList<>(List.of("listeners.tcp.1 = 127.0.0.1:" + ports.amqp()));
        if (tls != null) {
            Path dir = Files.createDirectories(base.resolve("tls"));
            // copies: the node's user (rabbitmq) cannot read a test's private temporary directory
            Path certificate = Files.copy(tls.certificate(), dir.resolve("server.pem"));
            Path key = Files.copy(tls.key(), dir.resolve("server.key"));
            Path ca = Files.copy(tls.caCertificate(), dir.resolve("ca.pem"));
            config.addAll(List.of(
                    "listeners.ssl.1 = 127.0.0.1:" + ports.tls(),
                    "ssl_options.cacertfile = " + ca,
                    "ssl_options.certfile = " + certificate,
                    "ssl_options.keyfile = " + key,
                    "ssl_options.verify = verify_none",
                    "ssl_options.fail_if_no_peer_cert = false"));
        }
        Files.write(base.resolve("rabbitmq.conf"), config);
        Files.writeString(base.resolve("rabbitmq-env.conf"), "# this node's environment is set by RabbitNode\n");
        Files.writeString(base.resolve("enabled_plugins"), "[].\n");
        Path cookieFile = Files.writeString(base.resolve(".erlang.cookie"), cookie);
        Files.setPosixFilePermissions(cookieFile, PosixFilePermissions.fromString("r--------"));
        return new NodeFiles(base, base.resolve("rabbitmq.conf"), mnesia, logs, logs.resolve("console.log"));
    }

    /** The environment {@code rabbitmq-server} starts with: nothing of the machine's defaults is left to apply. */
    Map<String, String> serverEnvironment(String nodeName, NodePorts ports) {
        return Map.ofEntries(
                Map.entry("HOME", base.toString()),
                Map.entry("RABBITMQ_NODENAME", nodeName),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(ports.amqp())),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(ports.distribution())),
                Map.entry(
                        "RABBITMQ_CONF_ENV_FILE",
                        base.resolve("rabbitmq-env.conf").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", config.toString()),
                Map.entry(
                        "RABBITMQ_ADVANCED_CONFIG_FILE",
                        base.resolve("advanced.config").toString()),
                Map.entry(
                        "RABBITMQ_ENABLED_PLUGINS_FILE",
                        base.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_MNESIA_BASE", mnesia.toString()),
                Map.entry("RABBITMQ_LOG_BASE", logs.toString()),
                Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}"));
    }

    /** Hands the directory to the user the node runs as. */
    void chown(UserPrincipal owner) throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.toList()) {
                Files.setOwner(path, owner);
            }
        }
    }

    /** Copies the node's logs into {@code directory} (for a failed test to be read later), as {@code <node>-*.log}. */
    void keepLogs(String nodeName, Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                String name = log.getFileName().toString();
                Files.copy(
                        log,
                        directory.resolve(name.startsWith(nodeName) ? name : nodeName + "-" + name),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    void delete() throws IOException {
        delete(base);
    }

    static void delete(Path base) throws IOException {
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
