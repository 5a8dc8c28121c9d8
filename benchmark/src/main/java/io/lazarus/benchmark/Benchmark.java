package io.lazarus.benchmark;

import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * How fast and how heavy a run is: a simulated fleet of N nodes whose install takes a set time, the real worker jar
 * and the real {@code lazarus run} as processes, through the real broker. Prints makespan, nodes per second, overhead
 * and the workers' memory, and writes them to {@code benchmark/target/benchmark-result.json}.
 *
 * <p>Build, then run from the source root (the jars are found there); the vhost is part of the URI:
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -jar benchmark/target/lazarus-benchmark.jar --rabbit amqp://guest:guest@127.0.0.1:5672
 * java -jar benchmark/target/lazarus-benchmark.jar --nodes 50 --prefetch 50 --rabbit amqp://guest:guest@127.0.0.1:5672/bench
 * </pre>
 * The fleet runs inside this JVM, so on a small machine it competes with the worker for the CPU; its share is printed.
 * {@code --warmup-nodes} and {@code --hosts-known} take the worker's JIT warm-up and its recording of new host keys out
 * of the measured run; {@code --worker-jvm-option} tries JVM and JSch settings ({@code -Djsch.kex=...}) without a rebuild.
 * Exit codes: 0 every node succeeded, 1 some node did not, 2 bad usage, 3 the benchmark could not measure.
 */
@Command(name = "lazarus-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs N simulated installs through the real broker, worker and lazarus command, and prints the numbers.")
public final class Benchmark implements Callable<Integer> {

    static final int EXIT_NODES_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;

    @Option(names = "--nodes", defaultValue = "1000", description = "simulated nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--install", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "how long each install takes: 2s, 500ms, PT2S (default ${DEFAULT-VALUE})")
    Duration install;

    @Option(names = "--output-lines", defaultValue = "10",
            description = "lines each install prints, spread over its length (default ${DEFAULT-VALUE})")
    int outputLines;

    @Option(names = "--prefetch", defaultValue = "1000", description = "each worker's prefetch (default ${DEFAULT-VALUE})")
    int prefetch;

    @Option(names = "--workers", defaultValue = "1", description = "worker processes (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--rabbit", defaultValue = "amqp://guest:guest@127.0.0.1:5672", paramLabel = "URI",
            description = "the broker, vhost included (default ${DEFAULT-VALUE})")
    URI rabbit;

    @Option(names = "--subnet", defaultValue = "230",
            description = "second octet of the fleet's addresses 127.<subnet>.x.y (default ${DEFAULT-VALUE})")
    int subnet;

    @Option(names = "--worker-heap", paramLabel = "SIZE", description = "the workers' -Xmx, e.g. 256m (default: the JVM's)")
    String workerHeap;

    @Option(names = "--worker-jvm-option", paramLabel = "OPTION",
            description = "more JVM options for the workers, repeatable, e.g. -XX:+UseSerialGC, -XX:StartFlightRecording=...")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(names = "--warmup-nodes", defaultValue = "0",
            description = "an unmeasured run on this many other nodes first, so that the measured run meets a worker whose"
                    + " JIT has compiled the hot paths (default ${DEFAULT-VALUE}: a cold worker)")
    int warmupNodes;

    @Option(names = "--hosts-known",
            description = "the workers' known_hosts already lists every node, as for a fleet met before (default: every node"
                    + " is new and the worker records its key on first contact, as host-key-policy accept-new does)")
    boolean hostsKnown;

    @Option(names = "--keep-logs", description = "keep the temporary directory (logs, inventory, report) after a success")
    boolean keepLogs;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || outputLines < 1 || workers < 1 || warmupNodes < 0 || prefetch < 1 || prefetch > 65535) {
            System.err.println("lazarus-benchmark: --nodes, --output-lines and --workers must be 1 or more,"
                    + " --warmup-nodes 0 or more, --prefetch 1..65535");
            return EXIT_USAGE;
        }
        Processes.jar("coordinator", "lazarus-coordinator.jar");
        Processes.jar("worker", "lazarus-worker.jar");
        BrokerCheck.requireIdleInstallQueue(rabbit);
        Path dir = Files.createTempDirectory("lazarus-benchmark-");
        int exit = EXIT_FAILED;
        try {
            exit = run(dir);
            return exit;
        } finally {
            if (keepLogs || exit != 0) {
                out.println("logs, inventory and report kept in " + dir);
            } else {
                delete(dir);
            }
        }
    }

    private int run(Path dir) throws Exception {
        Path resultFile = Processes.sourceRoot().resolve("benchmark/target/benchmark-result.json");
        out.printf("broker %s; work directory %s%n", BrokerCheck.redacted(rabbit), dir);
        ClientKey key = ClientKey.generate(dir);
        long fleetStart = System.nanoTime();
        try (SimulatedFleet fleet = SimulatedFleet.builder().subnet(subnet).authorizedKey(key.publicKeyLine())
                .nodes(warmupNodes + nodes, NodeBehavior.succeedSlowly(outputLines, install.dividedBy(outputLines))).start();
             Workers started = new Workers()) {
            out.printf(Locale.ROOT, "fleet: %d simulated nodes on 127.%d.x.y, each install %d lines over %s (up in %.1f s)%n",
                    fleet.nodes().size(), subnet, outputLines, install, seconds(fleetStart));
            List<SimulatedNode> warmup = fleet.nodes().subList(0, warmupNodes);
            List<SimulatedNode> measured = fleet.nodes().subList(warmupNodes, fleet.nodes().size());
            Path script = Files.writeString(dir.resolve("install.sh"), "install-package example\n");
            List<WorkerProbe> probes = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                long workerStart = System.nanoTime();
                WorkerProcess worker = started.start(rabbit, key.privateKey(), dir, prefetch, jvmOptions(),
                        hostsKnown ? knownHosts(fleet.nodes()) : List.of());
                out.printf(Locale.ROOT, "worker %d: pid %d, prefetch %d, JVM options %s, ready in %.1f s, log %s%n", i + 1,
                        worker.pid(), prefetch, jvmOptions(), seconds(workerStart), worker.log());
                probes.add(new WorkerProbe(worker));
            }
            long helpMs = helpMillis();
            out.printf("lazarus --help: %d ms (median of 5)%n", helpMs);
            if (!warmup.isEmpty()) {
                warmUp(inventory(dir.resolve("warmup-inventory.txt"), warmup), script);
            }
            return measure(dir, measured, probes, inventory(dir.resolve("inventory.txt"), measured), script, resultFile,
                    helpMs);
        }
    }

    /** Wall time of {@code lazarus --help} as a user sees it: the median of five. */
    private long helpMillis() throws Exception {
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            LazarusCli.Result help = new LazarusCli(rabbit.toString()).run("--help");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            if (help.exitCode() != 0) {
                throw new BenchmarkFailure("lazarus --help exited " + help.exitCode() + ":\n" + help);
            }
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }

    private void warmUp(Path inventory, Path script) throws Exception {
        long start = System.nanoTime();
        LazarusCli.Result result = new LazarusCli(rabbit.toString()).start("run", "--inventory", inventory.toString(),
                "--script", script.toString(), "--wait").await(runTimeout(warmupNodes));
        if (result.exitCode() != 0) {
            throw new BenchmarkFailure("the warm-up run exited " + result.exitCode() + ":\n" + result);
        }
        out.printf(Locale.ROOT, "warm-up: %d nodes in %.1f s, not measured%n", warmupNodes, seconds(start));
    }

    private int measure(Path dir, List<SimulatedNode> measured, List<WorkerProbe> probes, Path inventory, Path script,
            Path resultFile, long helpMs) throws Exception {
        List<Sample> idle = new ArrayList<>();
        for (WorkerProbe probe : probes) {
            idle.add(idleSample(probe));
        }
        long self = ProcessHandle.current().pid();
        List<Duration> workerCpuBefore = probes.stream().map(p -> ProcStatus.cpu(p.worker().pid())).toList();
        Duration selfCpuBefore = ProcStatus.cpu(self);
        Path report = dir.resolve("report.json");
        MachineCpu machineBefore = MachineCpu.read();
        Duration brokerCpuBefore = ProcStatus.cpuOfAll("beam.smp");
        out.printf("lazarus run: %d nodes ...%n", nodes);
        long runStart = System.nanoTime();
        Instant processStarted = Instant.now();
        LazarusCli.Running run = new LazarusCli(rabbit.toString()).start("run", "--inventory", inventory.toString(),
                "--script", script.toString(), "--wait", "--json", report.toString());
        LazarusCli.Result result;
        Monitor monitor = Monitor.start(probes, run.process(), measured, out);
        try (monitor) {
            result = run.await(runTimeout(nodes));
        }
        Instant processEnded = Instant.now();
        double wall = seconds(runStart);
        Duration brokerCpu = ProcStatus.cpuOfAll("beam.smp").minus(brokerCpuBefore);
        Duration selfCpu = ProcStatus.cpu(self).minus(selfCpuBefore);
        int cores = Runtime.getRuntime().availableProcessors();
        double machineBusy = MachineCpu.read().busySecondsSince(machineBefore, wall, cores);
        Path runLog = Files.writeString(dir.resolve("lazarus-run.log"), result.stdout() + result.stderr());
        if (monitor.failure() != null) {
            throw new BenchmarkFailure(monitor.failure());
        }
        if (result.exitCode() != 0 && result.exitCode() != EXIT_NODES_FAILED) {
            throw new BenchmarkFailure("lazarus run exited " + result.exitCode() + ": " + result.stderr().strip()
                    + "; see " + runLog);
        }
        RunOutcome outcome = RunOutcome.read(report);
        List<WorkerResult> workerResults = workerResults(probes, idle, monitor.samples(), workerCpuBefore);
        double makespan = outcome.makespan().toMillis() / 1000.0;
        BenchmarkResult benchmark = new BenchmarkResult(nodes, install, outputLines, prefetch, workers, warmupNodes,
                outcome.outcomes(), Numbers.round(makespan), Numbers.round(wall), Numbers.round(nodes / makespan),
                Numbers.round(makespan - install.toMillis() / 1000.0), outcome.durationPercentileMs(50),
                outcome.durationPercentileMs(95), outcome.durationPercentileMs(100), workerResults,
                Numbers.round(selfCpu.toMillis() / 1000.0), Numbers.round(monitor.coordinatorCpu().toMillis() / 1000.0),
                Numbers.round(machineBusy), Numbers.round(brokerCpu.toMillis() / 1000.0), cores, helpMs,
                Duration.between(processStarted, outcome.startedAt()).toMillis(),
                Duration.between(outcome.finishedAt(), processEnded).toMillis(), SignatureCost.measure());
        benchmark.print(out);
        benchmark.write(resultFile);
        out.println("result                " + resultFile);
        if (!outcome.allSucceeded(nodes)) {
            out.printf("NOT every node succeeded (%s); the first of them:%n", outcome.outcomes());
            outcome.failures().forEach(f -> out.println("  " + f));
            return EXIT_NODES_FAILED;
        }
        return 0;
    }

    private static List<WorkerResult> workerResults(List<WorkerProbe> probes, List<Sample> idle, List<List<Sample>> samples,
            List<Duration> cpuBefore) {
        List<WorkerResult> results = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            WorkerProcess worker = probes.get(i).worker();
            double cpu = ProcStatus.cpu(worker.pid()).minus(cpuBefore.get(i)).toMillis() / 1000.0;
            results.add(WorkerResult.of(worker.pid(), worker.log().toString(), idle.get(i), samples.get(i), cpu));
        }
        return results;
    }

    /** The worker at rest just before the run; a sample without an actuator answer is worthless as a baseline. */
    private static Sample idleSample(WorkerProbe probe) throws IOException, InterruptedException, BenchmarkFailure {
        for (int attempt = 0; attempt < 5; attempt++) {
            Sample sample = probe.sample(0);
            if (sample.answered()) {
                return sample;
            }
            Thread.sleep(500);
        }
        throw new BenchmarkFailure("worker " + probe.worker().pid() + " does not serve /actuator/metrics; see "
                + probe.worker().log());
    }

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(workerJvmOptions);
        if (workerHeap != null) {
            options.add("-Xmx" + workerHeap);
        }
        return options;
    }

    /** Enough for every wave of installs, plus the coordinator's own start and a wide margin. */
    private Duration runTimeout(int nodeCount) {
        long waves = (nodeCount + (long) prefetch * workers - 1) / ((long) prefetch * workers);
        return install.multipliedBy(waves).plus(Duration.ofMinutes(5));
    }

    /** known_hosts lines in the form OpenSSH writes for a port other than 22: {@code [host]:port type key}. */
    private static List<String> knownHosts(List<SimulatedNode> nodes) {
        return nodes.stream().map(n -> "[" + n.address() + "]:" + n.port() + " "
                + PublicKeyEntry.toString(n.hostKey().getPublic())).toList();
    }

    private static Path inventory(Path file, List<SimulatedNode> nodes) throws IOException {
        return Files.write(file, nodes.stream().map(n -> n.inventoryLine("bench")).toList());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration duration = DurationStyle.detectAndParse(value);
                if (duration.isNegative() || duration.isZero()) {
                    throw new IllegalArgumentException("must be positive");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a positive duration (examples: 2s, 500ms, PT2S)");
            }
        }
    }

    public static void main(String[] args) {
        CommandLine command = new CommandLine(new Benchmark());
        command.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof BenchmarkFailure || e instanceof IllegalStateException) {
                cmd.getErr().println("lazarus-benchmark: " + e.getMessage());
            } else {
                cmd.getErr().println("lazarus-benchmark: failed");
                e.printStackTrace(cmd.getErr());
            }
            return EXIT_FAILED;
        });
        System.exit(command.execute(args));
    }
}
