package io.lazarus.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * parallel-ssh (Debian package {@code pssh}) running the install on the OpenSSH nodes, all at once and without a
 * timeout: one OpenSSH client process per node, checking host keys strictly against the fleet's known_hosts.
 */
final class ParallelSsh {

    static final String BINARY = "parallel-ssh";
    static final String DEBIAN_PACKAGE = "pssh";

    private final Path binary;
    private final Path identity;
    private final Path knownHosts;
    private final String user;
    private final Path directory;

    ParallelSsh(Path binary, Path identity, Path knownHosts, String user, Path directory) {
        this.binary = binary;
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.user = user;
        this.directory = directory;
    }

    /** Where {@value #BINARY} is on the PATH, or a failure that names the package to install. */
    static Path locate() throws BenchmarkFailure {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, BINARY);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new BenchmarkFailure(BINARY + " is not on the PATH: --pssh needs the Debian package " + DEBIAN_PACKAGE
                + " (apt-get install -y " + DEBIAN_PACKAGE + ")");
    }

    /**
     * @param wallSeconds   the parallel-ssh process, from start to exit
     * @param clientCpu     CPU time of parallel-ssh and its ssh clients
     * @param statusLines   its {@code [SUCCESS]} and {@code [FAILURE]} lines, one per node
     */
    record Outcome(
            List<String> command,
            int exitCode,
            double wallSeconds,
            Duration clientCpu,
            List<String> statusLines,
            Path output) {

        long succeeded() {
            return statusLines.stream().filter(l -> l.contains(" [SUCCESS] ")).count();
        }

        List<String> failures() {
            return statusLines.stream().filter(l -> l.contains(" [FAILURE] ")).toList();
        }
    }

    /** Runs {@code command} on {@code nodes}, which share one port: parallel-ssh passes one set of ssh options to all. */
    Outcome run(List<FleetNode> nodes, String command, Duration timeout)
            throws IOException, InterruptedException, BenchmarkFailure {
        int port = nodes.getFirst().port();
        if (nodes.stream().anyMatch(n -> n.port() != port)) {
            throw new BenchmarkFailure(BINARY + " is given one port for all nodes, and these nodes listen on several");
        }
        // ssh refuses a private key others may read
        Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
        Path hosts = Files.write(
                directory.resolve("pssh-hosts.txt"),
                nodes.stream().map(FleetNode::address).toList());
        List<String> arguments = List.of(
                binary.toString(),
                "-p",
                Integer.toString(nodes.size()),
                "-h",
                hosts.toString(),
                "-l",
                user,
                "-t",
                "0",
                "-x",
                "-i " + quoted(identity) + " -p " + port + " -o UserKnownHostsFile=" + quoted(knownHosts)
                        + " -o StrictHostKeyChecking=yes -o BatchMode=yes",
                command);
        Path output = directory.resolve("pssh.out");
        ProcessBuilder builder = new ProcessBuilder(arguments)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // the benchmark's key only, as the worker has: no agent offering others first
        builder.environment().remove("SSH_AUTH_SOCK");
        long self = ProcessHandle.current().pid();
        Duration childrenBefore = ProcStatus.reapedChildrenCpu(self);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new BenchmarkFailure(BINARY + " did not finish within " + timeout + "; see " + output);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        // this JVM has waited for parallel-ssh, which waited for its ssh clients: their CPU is this JVM's children's
        Duration clientCpu = ProcStatus.reapedChildrenCpu(self).minus(childrenBefore);
        List<String> status = Files.readAllLines(output).stream()
                .filter(l -> l.contains(" [SUCCESS] ") || l.contains(" [FAILURE] "))
                .toList();
        return new Outcome(arguments, process.exitValue(), wall, clientCpu, status, output);
    }

    /** For parallel-ssh's -x, which splits its value as a POSIX shell would. */
    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
