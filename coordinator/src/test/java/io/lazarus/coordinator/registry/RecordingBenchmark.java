package io.lazarus.coordinator.registry;

import com.sun.management.ThreadMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.lazarus.common.contract.AttemptEvent;
import io.lazarus.common.contract.AttemptResult;
import io.lazarus.common.contract.AttemptStep;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.HostKeyCheck;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.contract.InstallScript;
import io.lazarus.common.contract.NodeTarget;
import io.lazarus.common.contract.Outcome;
import io.lazarus.common.contract.OutputChunk;
import io.lazarus.common.contract.OutputStreamName;
import io.lazarus.common.contract.Watchdog;
import io.lazarus.coordinator.dispatch.InstallPublisher;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

/**
 * A manual measurement, not part of the test suite (run by {@code scripts/measure-recording.sh}): the CPU the
 * registry takes to record a run's events, batch by batch, as the command's event consumer records them. A run of
 * {@code nodes} nodes is created and released on an H2 file opened as {@code application.yml} opens it, then its
 * events (each node's STARTED, OUTPUT for half of them, FINISHED with the last lines inline for the other half, as the
 * simulated fleet's 10-line installs send them; a thousand nodes in flight) are recorded under the run's lease in
 * batches of each size asked, a new run per round. Prints the CPU its registration took (the run and its nodes, in one
 * transaction, as before its first message), the recording thread's CPU per event and per node, and what the finished
 * run's books (a view's, at every poll of a follower) and its whole report take to read.
 */
public final class RecordingBenchmark {

    private static final int IN_FLIGHT = 1000;

    private RecordingBenchmark() {}

    /**
     * {@code [nodes [batch,batch,... [rounds [ordered|scattered]]]]}: 5000 nodes, batches of 30, 100, 250 and 500, 3
     * rounds each, the nodes ending in the order they were released.
     */
    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int[] batches = Arrays.stream((args.length > 1 ? args[1] : "30,100,250,500").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String order = args.length > 3 ? args[3] : "ordered";
        if (!order.equals("ordered") && !order.equals("scattered")) {
            System.err.println("recording benchmark: the fourth argument is ordered or scattered, not '" + order + "'");
            System.exit(2);
        }
        boolean scattered = order.equals("scattered");
        Path directory = Files.createTempDirectory("lazarus-recording-");
        System.out.printf(
                Locale.ROOT,
                "recording benchmark: %d nodes a run, ending %s, H2 in %s, JVM options %s%n",
                nodes,
                scattered ? "scattered" : "in release order",
                directory,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        try {
            for (int batch : batches) {
                try (HikariDataSource dataSource = registry(directory.resolve("batches-of-" + batch))) {
                    RegistryStore store = new RegistryStore(
                            JdbcClient.create(dataSource),
                            new JdbcTemplate(dataSource),
                            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                            DataSize.ofMegabytes(8),
                            0);
                    for (int round = 0; round < rounds; round++) {
                        recordRun(store, nodes, batch, round, scattered);
                    }
                }
            }
        } finally {
            FileSystemUtils.deleteRecursively(directory);
        }
    }

    /** A registry in {@code directory}, at the URL {@code application.yml} gives, its placeholders resolved as Spring does. */
    private static HikariDataSource registry(Path directory) {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(
                        new MapPropertySource("benchmark", Map.of("lazarus.registry.directory", directory.toString())));
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(
                environment.resolveRequiredPlaceholders(yaml.getObject().getProperty("spring.datasource.url")));
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return dataSource;
    }

    private static void recordRun(RegistryStore store, int nodes, int batch, int round, boolean scattered) {
        String runId = "20261203-000000-" + UUID.randomUUID().toString().substring(0, 6);
        InstallScript script =
                InstallScript.of("install.sh", List.of("for i in $(seq 10); do echo step $i; sleep 0.2; done"));
        List<NodeTarget> targets = IntStream.range(0, nodes)
                .mapToObj(i -> new NodeTarget(
                        "node-%05d".formatted(i), "127.1.%d.%d".formatted(i / 250, i % 250 + 1), 22, "lazarus"))
                .toList();
        StringBuilder inventory = new StringBuilder();
        targets.forEach(t -> inventory
                .append("lazarus@")
                .append(t.host())
                .append(" name=")
                .append(t.id())
                .append('\n'));
        Instant now = Instant.now();
        Instant deadline = now.plus(Duration.ofHours(1));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long registering = threads.getCurrentThreadCpuTime();
        Lease lease = store.createOwnedRun(
                new RunRecord(
                        runId,
                        now,
                        deadline,
                        RunState.RUNNING,
                        script.name(),
                        script.sha256(),
                        script.commands(),
                        inventory.toString(),
                        "{}",
                        0,
                        null,
                        null),
                targets,
                "benchmark",
                deadline);
        System.out.printf(
                Locale.ROOT,
                "round %d: the run and its %d nodes registered in %.0f CPU-ms%n",
                round + 1,
                nodes,
                (threads.getCurrentThreadCpuTime() - registering) / 1e6);
        List<InstallMessage> messages = targets.stream()
                .map(t -> InstallMessage.firstAttempt(runId, t, script, null, deadline))
                .toList();
        long releasing = threads.getCurrentThreadCpuTime();
        for (int from = 0; from < messages.size(); from += InstallPublisher.WINDOW) {
            store.recordReleasing(
                    lease, messages.subList(from, Math.min(messages.size(), from + InstallPublisher.WINDOW)), now);
        }
        System.out.printf(
                Locale.ROOT,
                "round %d: its %d nodes released, a window of %d at a time, in %.0f CPU-ms%n",
                round + 1,
                nodes,
                InstallPublisher.WINDOW,
                (threads.getCurrentThreadCpuTime() - releasing) / 1e6);
        List<AttemptEvent> events = events(messages, nodes, scattered);

        long cpuBefore = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        for (int from = 0; from < events.size(); from += batch) {
            store.recordAdmitted(lease, events.subList(from, Math.min(events.size(), from + batch)));
        }
        double cpu = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "batches of %4d, round %d: %d events in %.2f CPU-s (%.2f s wall), %.0f us an event, %.3f ms a node%n",
                batch,
                round + 1,
                events.size(),
                cpu,
                (System.nanoTime() - started) / 1e9,
                cpu * 1e6 / events.size(),
                cpu * 1e3 / nodes);
        // what a follower of the run asks at every poll: its view's books, and before them the whole report
        StoredReports reports = new StoredReports(store);
        System.out.printf(
                Locale.ROOT,
                "round %d: the run's books in %.0f CPU-ms, its whole report in %.0f CPU-ms (each the last of 5)%n",
                round + 1,
                lastOfFive(threads, () -> reports.books(runId)),
                lastOfFive(threads, () -> reports.report(runId)));
    }

    /** The CPU-ms of the last of five calls: the first ones also compile what they run. */
    private static double lastOfFive(ThreadMXBean threads, Runnable call) {
        double cpuMs = 0;
        for (int i = 0; i < 5; i++) {
            long before = threads.getCurrentThreadCpuTime();
            call.run();
            cpuMs = (threads.getCurrentThreadCpuTime() - before) / 1e6;
        }
        return cpuMs;
    }

    /**
     * The run's events in the order a worker sends them, read back from their JSON as the consumer reads them. In
     * release order, each node ends {@value #IN_FLIGHT} starts after its own; scattered, it ends after a quarter to
     * one and three quarters of that, at random (the same each time), as a real fleet's nodes end in an order of their
     * own and a batch's events land on rows all over the nodes in flight.
     */
    private static List<AttemptEvent> events(List<InstallMessage> messages, int nodes, boolean scattered) {
        Random durations = new Random(42);
        record Timed(double at, int order, List<AttemptEvent> events) {}
        List<Timed> timed = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            InstallMessage message = messages.get(i);
            double end = i + (scattered ? IN_FLIGHT * (0.25 + 1.5 * durations.nextDouble()) : IN_FLIGHT);
            timed.add(
                    new Timed(i, 0, List.of(received(AttemptEvent.started(message, worker(i), false, execution(i))))));
            timed.add(new Timed(end, 1, finished(message, i)));
        }
        timed.sort(Comparator.comparingDouble(Timed::at).thenComparingInt(Timed::order));
        return timed.stream().flatMap(t -> t.events().stream()).toList();
    }

    private static List<AttemptEvent> finished(InstallMessage message, int node) {
        StringBuilder lines = new StringBuilder();
        for (int step = 1; step <= 10; step++) {
            lines.append('[')
                    .append(message.node().id())
                    .append("] step ")
                    .append(step)
                    .append("/10\n");
        }
        List<OutputChunk> chunks = List.of(new OutputChunk(OutputStreamName.STDOUT, 0, 0, lines.toString()));
        AttemptResult result = new AttemptResult(
                Outcome.SUCCEEDED,
                0,
                null,
                "",
                2400,
                List.of(CommandResults.command(0, 0, 210)),
                List.of(
                        new AttemptStep(AttemptStep.CONNECT, null, 1, Outcome.SUCCEEDED, 180, ""),
                        new AttemptStep(AttemptStep.COMMAND, 0, 1, Outcome.SUCCEEDED, 2210, "")),
                lines.toString(),
                "",
                lines.length(),
                45L,
                1,
                "SHA256:XyyI0alf/as1d1tJiAjDhTVpmL44j6KeCBHDKqYyVyc",
                HostKeyCheck.NEW_RECORDED,
                Watchdog.DEFAULTS,
                false);
        AttemptEvent finished = AttemptEvent.finished(message, worker(node), false, result, execution(node));
        // half the nodes' output arrives on its own, the others' with their outcome
        return node % 2 == 0
                ? List.of(
                        received(AttemptEvent.output(message, worker(node), false, execution(node), chunks)),
                        received(finished))
                : List.of(received(finished.withOutput(chunks)));
    }

    private static AttemptEvent received(AttemptEvent event) {
        return Contracts.readEvent(Contracts.toJson(event));
    }

    private static String worker(int node) {
        return "worker-" + node % 2;
    }

    private static String execution(int node) {
        return "execution-%05d".formatted(node);
    }
}
