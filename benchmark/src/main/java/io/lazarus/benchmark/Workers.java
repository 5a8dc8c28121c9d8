package io.lazarus.benchmark;

import io.lazarus.testkit.process.WorkerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The worker processes of one benchmark, each with its own known_hosts; closing stops them all. */
final class Workers implements AutoCloseable {

    private final List<WorkerProcess> processes = new ArrayList<>();

    /** Starts one more worker whose known_hosts file holds {@code knownHosts} lines (none: every node is new to it). */
    WorkerProcess start(
            URI rabbit,
            Path identity,
            Path directory,
            int prefetch,
            boolean adaptive,
            List<String> jvmOptions,
            List<String> knownHostsLines)
            throws IOException, InterruptedException, BenchmarkFailure {
        Path knownHosts = Files.write(directory.resolve("known_hosts-" + (processes.size() + 1)), knownHostsLines);
        try {
            WorkerProcess worker = WorkerProcess.start(
                    rabbit.toString(),
                    identity,
                    knownHosts,
                    Map.of(
                            "LAZARUS_WORKER_PREFETCH", Integer.toString(prefetch),
                            "LAZARUS_WORKER_LIMIT_ENABLED", Boolean.toString(adaptive),
                            "LAZARUS_SSH_HOST_KEY_POLICY", "accept-new",
                            // its actuator, which the benchmark samples, on loopback like everything else of a
                            // benchmark
                            "SERVER_ADDRESS", "127.0.0.1",
                            "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,metrics"),
                    jvmOptions,
                    directory);
            processes.add(worker);
            return worker;
        } catch (IllegalStateException e) {
            throw new BenchmarkFailure("worker " + (processes.size() + 1) + " did not start: " + e.getMessage());
        }
    }

    List<WorkerProcess> all() {
        return List.copyOf(processes);
    }

    @Override
    public void close() throws InterruptedException {
        for (WorkerProcess worker : processes) {
            worker.close();
        }
    }
}
