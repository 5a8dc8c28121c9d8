package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.UploadResult;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.Reports;
import io.lazarus.testkit.OpenSshServer;
import io.lazarus.testkit.process.LazarusCli;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A manual measurement, not part of the suite (it takes minutes and 2.5 GB of memory-backed disk): one file of
 * {@code LAZARUS_UPLOAD_BENCHMARK_MB} (50) MB uploaded to {@code LAZARUS_UPLOAD_BENCHMARK_NODES} (50) nodes by one
 * worker, through a real sshd on loopback. Run it with {@code scripts/measure-uploads.sh}; it prints the wall time and
 * the throughput, and writes them to {@code system-tests/target/upload-benchmark.txt}.
 */
// named without "Test" so the suite leaves it out; the script names it with -Dtest
class UploadBenchmark {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create();

    @Test
    void oneFileToEveryNode() throws Exception {
        int megabytes = setting("LAZARUS_UPLOAD_BENCHMARK_MB", 50);
        int nodes = setting("LAZARUS_UPLOAD_BENCHMARK_NODES", 50);
        Path dir = system.dir();
        // one machine as many nodes: each node is an address and port of its own (an inventory refuses the same one
        // twice), served by a few sshd processes on up to 16 loopback addresses each
        List<String> addresses =
                IntStream.rangeClosed(1, 16).mapToObj(i -> "127.0.9." + i).toList();
        List<OpenSshServer> servers = new java.util.ArrayList<>();
        for (int s = 0; s * addresses.size() < nodes; s++) {
            servers.add(system.closeAtEnd(OpenSshServer.start(
                    Files.createDirectories(dir.resolve("sshd-" + s)),
                    addresses,
                    OpenSshServer.freePort(addresses),
                    system.sshKey().publicKeyLine(),
                    List.of("MaxStartups 10000", "MaxSessions 10000", "LogLevel ERROR"))));
        }
        Path store = dir.resolve("files");
        system.startWorker(Map.of("LAZARUS_FILES_ROOT", store.toString(), "LAZARUS_WORKER_PREFETCH", "" + nodes));
        LazarusCli lazarus = system.cli().withEnvironment(Map.of("LAZARUS_FILES_ROOT", store.toString()));
        Path payload = dir.resolve("payload.bin");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(payload)) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        // memory-backed, so the disk of a shared machine is not what is measured; each node renames onto one name
        Path target = Files.createTempDirectory(Path.of("/dev/shm"), "lazarus-upload-benchmark");
        Path inventory = Files.write(
                dir.resolve("inventory"),
                IntStream.rangeClosed(1, nodes)
                        .mapToObj(i -> {
                            OpenSshServer sshd = servers.get((i - 1) / addresses.size());
                            return "%s@%s:%d name=node-%03d"
                                    .formatted(sshd.user(), addresses.get((i - 1) % addresses.size()), sshd.port(), i);
                        })
                        .toList());
        Path json = dir.resolve("report.json");

        long started = System.nanoTime();
        LazarusCli.Result run = lazarus.run(
                "run",
                "--inventory",
                inventory.toString(),
                "--script",
                Files.writeString(dir.resolve("check.sh"), "test -s " + target.resolve("payload") + "\n")
                        .toString(),
                "--upload",
                payload + ":" + target.resolve("payload"),
                "--wait",
                "--json",
                json.toString());
        double wallSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(run.exitCode()).as(run.toString()).isZero();
        RunReport report = Reports.read(json);
        List<Long> millis = report.nodes().stream()
                .map(NodeReport::uploads)
                .map(List::getFirst)
                .map(UploadResult::durationMs)
                .sorted()
                .toList();
        double runSeconds = report.elapsed().toMillis() / 1000.0;
        double totalMegabytes = (double) megabytes * nodes;
        String result = String.format(
                Locale.ROOT,
                "upload benchmark: %d MB to %d nodes (%.0f MB in all), one worker, %d cores%n"
                        + "  lazarus run --wait wall time %.1f s (JVM start and hashing the file included): %.1f MB/s%n"
                        + "  run (publish to last outcome) %.1f s: %.1f MB/s%n"
                        + "  per node upload: median %d ms, slowest %d ms%n",
                megabytes,
                nodes,
                totalMegabytes,
                Runtime.getRuntime().availableProcessors(),
                wallSeconds,
                totalMegabytes / wallSeconds,
                runSeconds,
                totalMegabytes / runSeconds,
                millis.get((millis.size() - 1) / 2),
                millis.getLast());
        System.out.print(result);
        Files.writeString(Path.of("target", "upload-benchmark.txt"), result);
        try (var files = Files.list(target)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.delete(target);
    }

    private static int setting(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }
}
