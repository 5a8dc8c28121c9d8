package io.lazarus.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on a loopback address, with its own host key and configuration, running as the current
 * user (who is the only one it can log in). Needs {@code /usr/sbin/sshd} and {@code ssh-keygen}: {@code .ci/run}
 * installs openssh-server. Without them it fails loudly; it never skips.
 */
public final class OpenSshServer implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final String host;
    private final int port;
    private final String hostKeyLine;
    private final Path log;

    private OpenSshServer(Process process, String host, int port, String hostKeyLine, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.log = log;
    }

    /** Starts sshd on {@code host} (a 127.x.y.z address), accepting only {@code authorizedKeyLine}. */
    public static OpenSshServer start(Path dir, String host, String authorizedKeyLine) throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(SSHD + " not found: install openssh-server (apt-get install openssh-server)");
        }
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lazarus-test-sshd", "-f", hostKey.toString()));
        Path authorized = Files.writeString(dir.resolve("authorized_keys"), authorizedKeyLine.strip() + "\n");
        int port = freePort(host);
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress " + host,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorized,
                "PidFile none",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "LogLevel VERBOSE",
                ""));
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd"));  // privilege separation directory
        }
        run(List.of(SSHD.toString(), "-t", "-f", config.toString()));
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OpenSshServer server = new OpenSshServer(process, host, port,
                Files.readString(Path.of(hostKey + ".pub")).strip(), log);
        server.awaitBanner(Duration.ofSeconds(15));
        return server;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The user sshd logs in: the one running the tests. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The host key's public line ({@code ssh-ed25519 AAAA... comment}), as known_hosts or a pinned key would hold it. */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    public Path log() {
        return log;
    }

    private void awaitBanner(Duration timeout) throws IOException, InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                socket.setSoTimeout(2000);
                InputStream in = socket.getInputStream();
                byte[] banner = in.readNBytes(4);
                if (new String(banner, StandardCharsets.US_ASCII).equals("SSH-")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("sshd did not answer on " + host + ":" + port + " within " + timeout + "; see " + log);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
