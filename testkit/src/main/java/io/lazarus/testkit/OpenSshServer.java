package io.lazarus.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on one or more loopback addresses (one port), with its own host key and configuration,
 * running as the current user (who is the only one it can log in). Needs {@code /usr/sbin/sshd} and
 * {@code ssh-keygen}: {@code .ci/run} installs openssh-server. Without them it fails loudly; it never skips.
 */
public final class OpenSshServer implements AutoCloseable {

    /** sshd refuses a configuration with more ListenAddress entries than this. */
    public static final int MAX_LISTEN_ADDRESSES = 16;

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final List<String> hosts;
    private final int port;
    private final String hostKeyLine;
    private final Path log;

    private OpenSshServer(Process process, List<String> hosts, int port, String hostKeyLine, Path log) {
        this.process = process;
        this.hosts = List.copyOf(hosts);
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.log = log;
    }

    /** Starts sshd on {@code host} (a 127.x.y.z address), accepting only {@code authorizedKeyLine}. */
    public static OpenSshServer start(Path dir, String host, String authorizedKeyLine)
            throws IOException, InterruptedException {
        return start(dir, List.of(host), freePort(List.of(host)), authorizedKeyLine, List.of("LogLevel VERBOSE"));
    }

    /**
     * Starts one sshd listening on each of {@code hosts} (loopback addresses, at most {@link #MAX_LISTEN_ADDRESSES}) at
     * {@code port}, with a host key of its own, accepting only {@code authorizedKeyLine}. {@code settings} are
     * sshd_config lines such as {@code MaxStartups 10000}; they override the defaults here.
     */
    public static OpenSshServer start(
            Path dir, List<String> hosts, int port, String authorizedKeyLine, List<String> settings)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException(
                    SSHD + " not found: install openssh-server (apt-get install openssh-server)");
        }
        if (hosts.size() > MAX_LISTEN_ADDRESSES) {
            throw new IllegalArgumentException(
                    "one sshd listens on at most " + MAX_LISTEN_ADDRESSES + " addresses, not " + hosts.size());
        }
        requireLoopback(hosts);
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(List.of(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "lazarus-test-sshd", "-f", hostKey.toString()));
        Path authorized = Files.writeString(dir.resolve("authorized_keys"), authorizedKeyLine.strip() + "\n");
        List<String> config = new ArrayList<>(settings); // sshd takes the first value of a keyword: these win
        config.add("Port " + port);
        hosts.forEach(host -> config.add("ListenAddress " + host));
        config.addAll(List.of(
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorized,
                "PidFile none",
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "LogLevel ERROR",
                // bash run by sshd sources the user's ~/.bashrc unless it is a nested shell: the tests' user is the
                // developer's or CI's, whose rc files are no part of a node (one that ran pyenv's rehash hung every
                // session behind a lock file left by a killed one)
                "SetEnv SHLVL=1",
                // as on most servers: lazarus run --upload copies files over SFTP
                "Subsystem sftp internal-sftp",
                ""));
        Path configFile = Files.write(dir.resolve("sshd_config"), config);
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        }
        run(List.of(SSHD.toString(), "-t", "-f", configFile.toString()));
        Path log = dir.resolve("sshd.log");
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        OpenSshServer server = new OpenSshServer(
                process,
                hosts,
                port,
                Files.readString(Path.of(hostKey + ".pub")).strip(),
                log);
        try {
            // sshd goes on when some of its addresses cannot be bound: each must answer
            for (String host : hosts) {
                server.awaitBanner(host, Duration.ofSeconds(15));
            }
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A port nothing listens on at any of {@code hosts}, for one sshd or several sharing it. */
    public static int freePort(List<String> hosts) throws IOException {
        requireLoopback(hosts);
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(hosts.getFirst()))) {
                port = first.getLocalPort();
            }
            if (freeOnEvery(hosts, port)) {
                return port;
            }
        }
        throw new IOException("no port is free on all of " + hosts.size() + " addresses from " + hosts.getFirst());
    }

    private static boolean freeOnEvery(List<String> hosts, int port) throws IOException {
        for (String host : hosts) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
                // bound, so free
            } catch (BindException taken) {
                return false;
            }
        }
        return true;
    }

    private static void requireLoopback(List<String> hosts) throws IOException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no address to listen on");
        }
        for (String host : hosts) {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(
                        host + " is not a loopback address: a test sshd listens on loopback only");
            }
        }
    }

    /** The first of its addresses. */
    public String host() {
        return hosts.getFirst();
    }

    public List<String> hosts() {
        return hosts;
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

    /** The sshd listener's process id: its CPU time, with that of the sessions it has reaped, is the fleet's work. */
    public long pid() {
        return process.pid();
    }

    private void awaitBanner(String host, Duration timeout) throws IOException, InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                socket.setSoTimeout(2000);
                InputStream in = socket.getInputStream();
                byte[] banner = in.readNBytes(4);
                if (new String(banner, StandardCharsets.US_ASCII).equals("SSH-")) {
                    // a client that hangs up before saying who it is makes sshd log an error; one that says so, not
                    socket.getOutputStream().write("SSH-2.0-lazarus-probe\r\n".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "sshd did not answer on " + host + ":" + port + " within " + timeout + "; see " + log);
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
