package io.lazarus.benchmark;

import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How fast and how heavy a run is: a fleet of N nodes whose install takes a set time, the real worker jar
 * and the real {@code lazarus run} as processes, through the real broker. Prints makespan, nodes per second, overhead
 * and the workers' memory, and writes them to {@code benchmark/target/benchmark-result.json}.
 *
 * <p>Build, then run from the source root (the jars are found there); the vhost is part of the URI:
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -jar benchmark/target/lazarus-benchmark.jar --rabbit amqp://guest:guest@127.0.0.1:5672
 * java -jar benchmark/target/lazarus-benchmark.jar --nodes 50 --prefetch 50 --rabbit amqp://guest:guest@127.0.0.1:5672/bench
 * </pre>
 * The simulated fleet runs inside this JVM (an OpenSSH fleet in sshd processes), so on a small machine it competes with
 * the worker for the CPU; its share is printed.
 * {@code --warmup-nodes} and {@code --hosts-known} take the worker's JIT warm-up and its recording of new host keys out
 * of the measured run; {@code --worker-jvm-option} tries JVM and JSch settings ({@code -Djsch.kex=...}) without a rebuild.
 *
 * <p>Side by side, after the Lazarus run and on the same nodes: {@code --floor} runs the install by a bare JSch client
 * (what any JVM SSH client pays; once bare, once asking of each node what a worker asks, and that again with the host
 * keys in a map instead of JSch's known_hosts repository: see {@link FloorMode}), and {@code --openssh --pssh} replaces
 * the simulated fleet by real sshd processes on the same loopback addresses and then runs parallel-ssh (what the usual
 * tool pays). Their numbers go to the result file's {@code bareFloor}, {@code floor}, {@code floorKeysInAMap} and
 * {@code pssh} sections. Lazarus and those clients take turns for {@code --rounds} rounds ({@link SideBySideRounds}):
 * the ratio to quote is the median of the rounds' ratios.
 * With {@code --service} the coordinator is {@code lazarus-coordinator.jar serve} (on {@code --registry-url}, a
 * PostgreSQL registry whose growth is measured), and the run is handed to it by {@code lazarus run --server}; its
 * numbers go to the result file's {@code service} section.
 * Exit codes: 0 every node succeeded (on every side), 1 some node did not, 2 bad usage, 3 the benchmark could not
 * measure.
 */
@Command(
        name = "lazarus-benchmark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs N installs on a simulated (or OpenSSH) fleet through the real broker, worker and lazarus"
                + " command, optionally beside a bare JSch client and parallel-ssh, and prints the numbers.")
public final class Benchmark implements Callable<Integer> {

    static final int EXIT_NODES_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;
    /** Addresses 127.subnet.x.y, x and y in 250 values each. */
    static final int MAX_NODES = 250 * 250;

    @Option(names = "--nodes", defaultValue = "1000", description = "measured nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--install",
            defaultValue = "2s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long each install takes: 2s, 500ms, PT2S (default ${DEFAULT-VALUE})")
    Duration install;

    @Option(
            names = "--output-lines",
            defaultValue = "10",
            description = "lines each install prints, spread over its length (default ${DEFAULT-VALUE})")
    int outputLines;

    @Option(
            names = "--prefetch",
            defaultValue = "1000",
            description = "each worker's prefetch (default ${DEFAULT-VALUE})")
    int prefetch;

    @Option(
            names = "--limit",
            defaultValue = "adaptive",
            paramLabel = "adaptive|fixed",
            description =
                    "adaptive: the workers start as many of their deliveries as their in-flight limit allows,"
                            + " the prefetch being its ceiling; fixed: every delivery starts at once (default ${DEFAULT-VALUE})")
    String limit;

    @Option(
            names = "--compare",
            split = ",",
            paramLabel = "PREFETCH",
            description = "after --warmups uncounted runs (the fleet shares this JVM), one"
                    + " measured run per setting on a fresh fleet and workers, for --rounds rounds (every other one in reverse order):"
                    + " the adaptive limit at --prefetch,"
                    + " fixed at each of these prefetches (the sweep), then fixed at prefetch = --nodes; prints makespan"
                    + " and time to start of each side by side, e.g. --compare 100,250,500")
    List<Integer> compare = new ArrayList<>();

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "with --compare: how many times each setting runs, every other round in reverse order;"
                    + " with --floor or --pssh: how many times the Lazarus run and then each client beside it run,"
                    + " printing each round's ratios and their medians (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--warmups",
            defaultValue = "1",
            description = "with --compare: uncounted runs (adaptive, at --prefetch) before the first measured one;"
                    + " with --warmup-nodes: how many unmeasured runs on those nodes, one after the other (a service's"
                    + " JIT settles over several) (default ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--workers", defaultValue = "1", description = "worker processes (default ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--rabbit",
            defaultValue = "amqp://guest:guest@127.0.0.1:5672",
            paramLabel = "URI",
            description = "the broker, vhost included (default ${DEFAULT-VALUE})")
    URI rabbit;

    @Option(
            names = "--subnet",
            defaultValue = "230",
            description = "second octet of the fleet's addresses 127.<subnet>.x.y (default ${DEFAULT-VALUE})")
    int subnet;

    @Option(
            names = "--worker-heap",
            paramLabel = "SIZE",
            description = "the workers' -Xmx, e.g. 256m (default: the JVM's)")
    String workerHeap;

    @Option(
            names = "--worker-jvm-option",
            paramLabel = "OPTION",
            description =
                    "more JVM options for the workers, repeatable, e.g. -XX:+UseSerialGC, -XX:StartFlightRecording=...")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(
            names = "--warmup-nodes",
            defaultValue = "0",
            description =
                    "an unmeasured run on this many other nodes first, so that the measured run meets a worker whose"
                            + " JIT has compiled the hot paths (default ${DEFAULT-VALUE}: a cold worker)")
    int warmupNodes;

    @Option(
            names = "--hosts-known",
            description =
                    "the workers' known_hosts already lists every node, as for a fleet met before (default: every node"
                            + " is new and the worker records its key on first contact, as host-key-policy accept-new does)")
    boolean hostsKnown;

    @Option(
            names = "--floor",
            description = "after the Lazarus run, the JSch floor: the same install on the same nodes"
                    + " by a bare JSch session per node on virtual threads, at most prefetch x workers at once, three"
                    + " times: the script alone, then asking of the node what a worker asks (a pseudo-terminal, the"
                    + " script's environment on stdin), then that with the host keys in a map; prints each makespan and"
                    + " Lazarus makespan / floor makespan; Lazarus and the floors take turns for --rounds rounds")
    boolean floor;

    @Option(
            names = "--openssh",
            description = "a real OpenSSH fleet instead of the simulated one: each node an address"
                    + " 127.<subnet>.x.y on one port, served by ceil(N/16) sshd processes logging in the current user with the"
                    + " benchmark's key; the install a shell loop printing --output-lines lines over --install; the workers"
                    + " know every host key")
    boolean openssh;

    @Option(
            names = "--pssh",
            description =
                    "with --openssh: after the Lazarus run, parallel-ssh (Debian package pssh)"
                            + " runs the same command on the same nodes, all at once; prints its wall time and Lazarus wall / pssh wall")
    boolean pssh;

    @Option(
            names = "--service",
            description = "the coordinator is a service (lazarus-coordinator.jar serve) started for the benchmark; the"
                    + " run is handed to it by lazarus run --server --wait, and the service's CPU and memory are measured"
                    + " as the coordinator's")
    boolean service;

    @Option(
            names = "--registry-url",
            paramLabel = "JDBC_URL",
            description = "with --service: its registry, e.g. jdbc:postgresql://127.0.0.1:5432/bench?user=postgres; the"
                    + " tables of the URL's schema are measured before and after the run (default: the service's H2"
                    + " file)")
    String registryUrl;

    @Option(
            names = "--service-jvm-option",
            paramLabel = "OPTION",
            description = "with --service: a JVM option for the service, repeatable, e.g. -Xmx512m")
    List<String> serviceJvmOptions = new ArrayList<>();

    @Option(
            names = "--run-timeout",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long one run of all the nodes may take, by Lazarus or a side-by-side tool (default: the"
                    + " install times the waves the workers' prefetch needs, plus 5 minutes)")
    Duration runTimeout;

    @Option(
            names = "--keep-logs",
            description = "keep the temporary directory (logs, inventory, report) after a success")
    boolean keepLogs;

    private final PrintStream out = System.out;
    /** The numbers of the last measured run. */
    private BenchmarkResult last;

    private Path psshBinary;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1
                || outputLines < 1
                || workers < 1
                || warmupNodes < 0
                || rounds < 1
                || warmups < 0
                || prefetch < 1
                || prefetch > 65535
                || subnet < 1
                || subnet > 254
                || warmupNodes + nodes > MAX_NODES) {
            System.err.println("lazarus-benchmark: --nodes, --output-lines, --workers and --rounds must be 1 or more,"
                    + " --warmup-nodes and --warmups 0 or more, --prefetch 1..65535, --subnet 1..254, nodes and warm-up nodes together"
                    + " at most " + MAX_NODES);
            return EXIT_USAGE;
        }
        if (!limit.equals("adaptive") && !limit.equals("fixed")) {
            System.err.println("lazarus-benchmark: --limit is adaptive or fixed, was " + limit);
            return EXIT_USAGE;
        }
        if (!compare.isEmpty()
                && (openssh || floor || service || compare.stream().anyMatch(p -> p < 1 || p > 65535))) {
            System.err.println("lazarus-benchmark: --compare takes prefetches 1..65535 and runs on the simulated fleet"
                    + " alone (no --openssh, --floor or --service)");
            return EXIT_USAGE;
        }
        if (pssh && !openssh) {
            System.err.println("lazarus-benchmark: --pssh needs --openssh: parallel-ssh runs on the OpenSSH fleet");
            return EXIT_USAGE;
        }
        if ((registryUrl != null || !serviceJvmOptions.isEmpty()) && !service) {
            System.err.println("lazarus-benchmark: --registry-url and --service-jvm-option need --service");
            return EXIT_USAGE;
        }
        if (registryUrl != null && !registryUrl.startsWith("jdbc:postgresql:")) {
            System.err.println("lazarus-benchmark: --registry-url takes a jdbc:postgresql: URL");
            return EXIT_USAGE;
        }
        psshBinary = pssh ? ParallelSsh.locate() : null;
        Processes.jar("coordinator", "lazarus-coordinator.jar");
        Processes.jar("worker", "lazarus-worker.jar");
        if (!compare.isEmpty()) {
            return compare();
        }
        return runIn(Files.createTempDirectory("lazarus-benchmark-"));
    }

    private int runIn(Path dir) throws Exception {
        BrokerCheck.requireIdleInstallQueue(rabbit);
        int exit = EXIT_FAILED;
        try {
            exit = run(dir);
            return exit;
        } catch (BenchmarkFailure e) {
            // the queue was idle when the run began: what a stopped run left in it is its own
            BrokerCheck.purgeInstallQueue(rabbit);
            throw e;
        } finally {
            if (keepLogs || exit != 0) {
                out.println("logs, inventory and report kept in " + dir);
            } else {
                delete(dir);
            }
        }
    }

    /**
     * {@code --warmups} uncounted runs, then the adaptive limit, the fixed sweep and prefetch = N, one after the other, for {@code --rounds}
     * rounds, every other one in reverse order; then the table of all and of each setting's mean.
     */
    private int compare() throws Exception {
        Set<String> unique = new LinkedHashSet<>();
        unique.add("adaptive@" + prefetch);
        compare.forEach(p -> unique.add("fixed@" + p));
        unique.add("fixed@" + nodes);
        List<String> settings = List.copyOf(unique);
        List<Comparison.Row> rows = new ArrayList<>();
        int exit = 0;
        // the fleet lives in this JVM: without a round first, the first setting alone would pay its JIT's warm-up
        // (2 - 3 CPU-s more for the fleet at 1000 nodes, about 10% of that run's makespan); warmed by the adaptive
        // limit, which a worker's heap does not fail, where prefetch = N may
        limit = "adaptive";
        for (int w = 1; w <= warmups; w++) {
            out.printf("%n=== warm-up %d of the fleet: adaptive, prefetch %d, not counted ===%n", w, prefetch);
            try {
                runIn(Files.createTempDirectory("lazarus-benchmark-"));
            } catch (BenchmarkFailure e) {
                out.println("warm-up failed: " + e.getMessage());
            }
        }
        // every other round in reverse order (A B C C B A A B C ...): the fleet's JIT keeps warming for a few runs,
        // and whichever ran first paid for it (the adaptive limit measured 13% slower first, 13% faster last)
        List<String> order = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            order.addAll(r % 2 == 0 ? settings : settings.reversed());
        }
        for (int i = 0; i < order.size(); i++) {
            String setting = order.get(i);
            int round = i / settings.size() + 1;
            limit = setting.substring(0, setting.indexOf('@'));
            prefetch = Integer.parseInt(setting.substring(setting.indexOf('@') + 1));
            out.printf("%n=== %s, prefetch %d, round %d ===%n", limit, prefetch, round);
            last = null;
            try {
                exit = Math.max(exit, runIn(Files.createTempDirectory("lazarus-benchmark-")));
                rows.add(new Comparison.Row(limit, prefetch, round, last, null));
            } catch (BenchmarkFailure e) {
                // a setting that breaks the run (a worker out of heap) is a result too; the others still run
                out.println("could not measure: " + e.getMessage());
                rows.add(new Comparison.Row(limit, prefetch, round, null, e.getMessage()));
                exit = EXIT_FAILED;
            }
        }
        String table = Comparison.table(rows);
        out.printf("%n%s", table);
        Path file = Processes.sourceRoot().resolve("benchmark/target/benchmark-compare.md");
        Files.writeString(file, table);
        out.println("table                 " + file);
        return exit;
    }

    private int run(Path dir) throws Exception {
        Path resultFile = Processes.sourceRoot().resolve("benchmark/target/benchmark-result.json");
        out.printf("broker %s; work directory %s%n", BrokerCheck.redacted(rabbit), dir);
        ClientKey key = ClientKey.generate(dir);
        long fleetStart = System.nanoTime();
        try (MeasuredFleet fleet = startFleet(dir, key);
                Workers started = new Workers();
                ServiceCoordinator coordinator = service ? startService(dir) : null) {
            out.printf(
                    Locale.ROOT,
                    "fleet: %s, each install %d lines over %s (up in %.1f s)%n",
                    fleet.description(),
                    outputLines,
                    install,
                    seconds(fleetStart));
            List<FleetNode> warmup = fleet.nodes().subList(0, warmupNodes);
            List<FleetNode> measured =
                    fleet.nodes().subList(warmupNodes, fleet.nodes().size());
            Path script = Files.writeString(dir.resolve("install.sh"), fleet.installCommand() + "\n");
            List<String> knownHosts =
                    fleet.nodes().stream().map(FleetNode::knownHostsLine).toList();
            List<WorkerProbe> probes = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                long workerStart = System.nanoTime();
                // on a real fleet the workers check every host key, as parallel-ssh does
                WorkerProcess worker = started.start(
                        rabbit,
                        key.privateKey(),
                        dir,
                        prefetch,
                        limit.equals("adaptive"),
                        jvmOptions(),
                        hostsKnown || openssh ? knownHosts : List.of());
                out.printf(
                        Locale.ROOT,
                        "worker %d: pid %d, prefetch %d, %s limit, JVM options %s, ready in %.1f s, log %s%n",
                        i + 1,
                        worker.pid(),
                        prefetch,
                        limit,
                        jvmOptions(),
                        seconds(workerStart),
                        worker.log());
                probes.add(new WorkerProbe(worker));
            }
            LauncherCache.absent(Processes.sourceRoot()).ifPresent(out::println);
            long helpMs = helpMillis();
            out.printf("lazarus --help: %d ms (median of 5)%n", helpMs);
            if (!warmup.isEmpty()) {
                Path warmupInventory = inventory(dir.resolve("warmup-inventory.txt"), warmup, fleet.user());
                for (int w = 1; w <= Math.max(1, warmups); w++) {
                    warmUp(warmupInventory, script, coordinator);
                }
            }
            SideBySide side = floor || pssh
                    ? new SideBySide(
                            fleet,
                            measured,
                            key.privateKey(),
                            Files.write(dir.resolve("known_hosts-fleet"), knownHosts),
                            Files.readString(script),
                            runTimeout(nodes),
                            out)
                    : null;
            int roundCount = side == null ? 1 : rounds;
            SideBySideRounds alternation = new SideBySideRounds();
            ResultFile results = null;
            boolean allSucceeded = true;
            for (int round = 1; round <= roundCount; round++) {
                if (roundCount > 1) {
                    out.printf("%n==== round %d of %d ====%n", round, roundCount);
                }
                Measured lazarus = measure(
                        dir,
                        fleet,
                        measured,
                        probes,
                        inventory(dir.resolve("inventory.txt"), measured, fleet.user()),
                        script,
                        helpMs,
                        coordinator);
                BenchmarkResult numbers = lazarus.numbers();
                last = numbers;
                numbers.print(out);
                alternation.lazarus(numbers.makespanSeconds());
                if (results == null) {
                    results = new ResultFile(resultFile, numbers);
                }
                Section section = new Section(results, round, roundCount);
                section.add("lazarus", numbers);
                if (lazarus.service() != null) {
                    lazarus.service().print(out);
                    section.add("service", lazarus.service());
                }
                if (!lazarus.outcome().allSucceeded(nodes)) {
                    allSucceeded = false;
                    out.printf(
                            "NOT every node succeeded (%s); the first of them:%n",
                            lazarus.outcome().outcomes());
                    lazarus.outcome().failures().forEach(f -> out.println("  " + f));
                }
                if (floor) {
                    // bare first: the JSch client's JIT warms on it (without --warmup-nodes), so the floor that asks of
                    // the node what a worker asks, the comparison, runs warm against a cold worker; the warm-up nodes
                    // warm each floor in the first round, as they warmed the workers before it
                    for (FloorMode mode : FloorMode.values()) {
                        JschFloorResult floorNumbers = side.floor(
                                mode.channel,
                                mode.hostKeys,
                                prefetch * workers,
                                round == 1 ? warmup : List.of(),
                                numbers);
                        floorNumbers.print(out);
                        section.add(mode.resultKey, floorNumbers);
                        alternation.side(
                                mode.resultKey,
                                "Lazarus makespan / its makespan",
                                floorNumbers.makespanSeconds(),
                                floorNumbers.lazarusOverFloor());
                        allSucceeded &= floorNumbers.allSucceeded();
                    }
                }
                if (pssh) {
                    PsshResult psshNumbers =
                            side.pssh(psshBinary, dir, numbers.lazarusRunSeconds(), numbers.makespanSeconds());
                    psshNumbers.print(out);
                    section.add("pssh", psshNumbers);
                    alternation.side(
                            "pssh",
                            "lazarus run wall / its wall",
                            psshNumbers.wallSeconds(),
                            psshNumbers.lazarusWallOverPsshWall());
                    allSucceeded &= psshNumbers.allSucceeded();
                }
            }
            if (side != null) {
                alternation.print(out);
                results.add("sideBySide", alternation.summary());
            }
            out.println("result                " + results.path());
            return allSucceeded ? 0 : EXIT_NODES_FAILED;
        }
    }

    private ServiceCoordinator startService(Path dir) throws IOException {
        long start = System.nanoTime();
        ServiceCoordinator started =
                ServiceCoordinator.start(rabbit, registryUrl, serviceJvmOptions, dir.resolve("service.log"));
        out.printf(
                Locale.ROOT,
                "service: pid %d at %s, registry %s, JVM options %s, ready in %.1f s, log %s%n",
                started.pid(),
                started.url(),
                registryUrl == null ? "its H2 file" : registryUrl.replaceAll("password=[^&]*", "password=***"),
                serviceJvmOptions,
                seconds(start),
                started.log());
        return started;
    }

    private MeasuredFleet startFleet(Path dir, ClientKey key) throws IOException, InterruptedException {
        int count = warmupNodes + nodes;
        return openssh
                ? OpenSshFleet.start(dir, subnet, count, key.publicKeyLine(), install, outputLines)
                : SimulatedSshFleet.start(subnet, count, key.publicKeyLine(), install, outputLines);
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

    private void warmUp(Path inventory, Path script, ServiceCoordinator coordinator) throws Exception {
        long start = System.nanoTime();
        LazarusCli.Result result = startRun(
                        cli(coordinator),
                        coordinator,
                        "--inventory",
                        inventory.toString(),
                        "--script",
                        script.toString(),
                        "--wait")
                .awaitAtMost(runTimeout(warmupNodes))
                .orElseThrow(() -> new BenchmarkFailure(
                        "the warm-up run did not finish within " + runTimeout(warmupNodes) + ": see --run-timeout"));
        if (result.exitCode() != 0) {
            throw new BenchmarkFailure("the warm-up run exited " + result.exitCode() + ":\n" + result);
        }
        out.printf(Locale.ROOT, "warm-up: %d nodes in %.1f s, not measured%n", warmupNodes, seconds(start));
    }

    /** Where a round's numbers go: the top level holds the first round's, {@code rounds} each round's when there are more. */
    private record Section(ResultFile results, int round, int rounds) {

        void add(String name, Object numbers) throws IOException {
            if (round == 1 && !name.equals("lazarus")) {
                results.add(name, numbers);
            }
            if (rounds > 1) {
                results.addToRound(round, name, numbers);
            }
        }
    }

    /** The Lazarus run's numbers, and the coordinator's report they come from. */
    private record Measured(BenchmarkResult numbers, RunOutcome outcome, ServiceResult service) {}

    private Measured measure(
            Path dir,
            MeasuredFleet fleet,
            List<FleetNode> measured,
            List<WorkerProbe> probes,
            Path inventory,
            Path script,
            long helpMs,
            ServiceCoordinator coordinator)
            throws Exception {
        LazarusCli cli = cli(coordinator);
        if (coordinator == null) {
            primeRegistry(cli);
        }
        List<Sample> idle = new ArrayList<>();
        for (WorkerProbe probe : probes) {
            idle.add(idleSample(probe));
        }
        long self = ProcessHandle.current().pid();
        List<Duration> workerCpuBefore =
                probes.stream().map(p -> ProcStatus.cpu(p.worker().pid())).toList();
        Map<String, Long> eventsBefore = eventsPublished(probes);
        Duration selfCpuBefore = ProcStatus.cpu(self);
        Duration fleetCpuBefore = fleet.processCpu();
        Path report = dir.resolve("report.json");
        MachineCpu machineBefore = MachineCpu.read();
        Duration brokerCpuBefore = ProcStatus.cpuOfAll("beam.smp");
        Map<String, Long> tablesBefore = coordinator == null ? Map.of() : coordinator.registryTables();
        ProcStatus serviceIdle = coordinator == null ? null : ProcStatus.of(coordinator.pid());
        Duration serviceCpuBefore = coordinator == null ? Duration.ZERO : ProcStatus.cpu(coordinator.pid());
        Map<Long, ProcStatus.ThreadCpu> serviceThreadsBefore =
                coordinator == null ? Map.of() : ProcStatus.cpuOfThreads(coordinator.pid());
        Duration postgresCpuBefore = ProcStatus.postgresCpu();
        out.printf("lazarus run%s: %d nodes ...%n", coordinator == null ? "" : " --server " + coordinator.url(), nodes);
        // the same nodes ran in earlier rounds, and for the clients beside Lazarus
        long startedBefore = fleet.installsStarted(measured);
        FirstPublishProbe firstPublish = FirstPublishProbe.listen(rabbit);
        long runStart = System.nanoTime();
        Instant runStartAt = Instant.now();
        LazarusCli.Running run = startRun(
                cli,
                coordinator,
                "--inventory",
                inventory.toString(),
                "--script",
                script.toString(),
                "--wait",
                "--json",
                report.toString());
        LazarusCli.Result result;
        // the moment the process ends, not once the monitor has finished its last sample (up to 0.2 s and an
        // actuator call later), on both clocks: the wall clock is the one the coordinator's finishedAt was read from,
        // even where it steps during the run
        CompletableFuture<Ended> ended =
                run.process().onExit().thenApply(process -> new Ended(System.nanoTime(), Instant.now()));
        Monitor monitor = Monitor.start(
                probes,
                run.process(),
                coordinator == null ? OptionalLong.empty() : OptionalLong.of(coordinator.pid()),
                nodes,
                () -> startedBefore < 0 ? -1 : fleet.installsStarted(measured) - startedBefore,
                out);
        long firstPublishNanos;
        try (monitor;
                firstPublish) {
            result = run.awaitAtMost(runTimeout(nodes))
                    .orElseThrow(() -> new BenchmarkFailure("lazarus run did not finish within " + runTimeout(nodes)
                            + " and was stopped; the worker logs say how far it came (a machine slower than the"
                            + " default allows for: --run-timeout)"));
            firstPublishNanos = firstPublish.firstNanos();
        }
        Ended processEnded = ended.join();
        double wall = (processEnded.nanos() - runStart) / 1e9;
        ServiceResult serviceResult = null;
        if (coordinator != null) {
            Duration serviceCpu = quietCpu(coordinator.pid()).minus(serviceCpuBefore);
            monitor.sampleService();
            serviceResult = ServiceResult.of(
                    coordinator,
                    nodes,
                    serviceCpu.toMillis() / 1000.0,
                    serviceIdle,
                    ProcStatus.of(coordinator.pid()),
                    coordinator.postgres()
                            ? ProcStatus.postgresCpu().minus(postgresCpuBefore).toMillis() / 1000.0
                            : 0,
                    tablesBefore,
                    coordinator.registryTables(),
                    monitor.serviceThreadsSince(serviceThreadsBefore));
        }
        Duration brokerCpu = ProcStatus.cpuOfAll("beam.smp").minus(brokerCpuBefore);
        Duration selfCpu = ProcStatus.cpu(self).minus(selfCpuBefore);
        Duration fleetCpu = fleet.processCpu().minus(fleetCpuBefore);
        int cores = Runtime.getRuntime().availableProcessors();
        double machineBusy = MachineCpu.read().busySecondsSince(machineBefore, wall, cores);
        Path runLog = Files.writeString(dir.resolve("lazarus-run.log"), result.stdout() + result.stderr());
        if (monitor.failure() != null) {
            throw new BenchmarkFailure(monitor.failure());
        }
        if (result.exitCode() != 0 && result.exitCode() != EXIT_NODES_FAILED) {
            throw new BenchmarkFailure("lazarus run exited " + result.exitCode() + ": "
                    + result.stderr().strip() + "; see " + runLog);
        }
        RunOutcome outcome = RunOutcome.read(report);
        long firstPublishMs = firstPublishNanos < 0 ? -1 : (firstPublishNanos - runStart) / 1_000_000;
        Map<String, Long> events = new TreeMap<>(eventsPublished(probes));
        eventsBefore.forEach((type, before) -> events.merge(type, -before, Long::sum));
        List<WorkerResult> workerResults = workerResults(probes, idle, monitor.samples(), workerCpuBefore);
        double makespan = outcome.makespan().toMillis() / 1000.0;
        // on the wall clock the report's finishedAt was read from
        double fromFirstMessage = firstPublishNanos < 0
                ? -1
                : Duration.between(runStartAt.plusNanos(firstPublishNanos - runStart), outcome.finishedAt())
                                .toMillis()
                        / 1000.0;
        long[] toStart = fleet.millisToStart(measured, outcome.startedAt());
        BenchmarkResult.FleetUsage fleetUsage = new BenchmarkResult.FleetUsage(
                fleet.kind(), fleet.description(), fleet.processes(), Numbers.round(fleetCpu.toMillis() / 1000.0));
        BenchmarkResult numbers = new BenchmarkResult(
                nodes,
                install,
                outputLines,
                prefetch,
                workers,
                warmupNodes,
                warmupNodes == 0 ? 0 : Math.max(1, warmups),
                fleetUsage,
                outcome.outcomes(),
                Numbers.round(makespan),
                Numbers.round(fromFirstMessage),
                Numbers.round(wall),
                Numbers.round(nodes / makespan),
                Numbers.round(makespan - install.toMillis() / 1000.0),
                outcome.durationPercentileMs(50),
                outcome.durationPercentileMs(95),
                outcome.durationPercentileMs(100),
                workerResults,
                Numbers.round(selfCpu.toMillis() / 1000.0),
                Numbers.round(monitor.coordinatorCpu().toMillis() / 1000.0),
                Numbers.round(machineBusy),
                Numbers.round(brokerCpu.toMillis() / 1000.0),
                cores,
                helpMs,
                firstPublishMs,
                Duration.between(outcome.finishedAt(), processEnded.at()).toMillis(),
                SignatureCost.measure(),
                limit,
                toStart.length == 0 ? -1 : Numbers.percentile(toStart, 50),
                toStart.length == 0 ? -1 : Numbers.percentile(toStart, 95),
                Numbers.seconds(monitor.coordinatorThreads()),
                events,
                LauncherCache.absent(Processes.sourceRoot()).isEmpty());
        return new Measured(numbers, outcome, serviceResult);
    }

    /** The events all workers have published so far, by type. */
    private static Map<String, Long> eventsPublished(List<WorkerProbe> probes)
            throws IOException, InterruptedException {
        Map<String, Long> events = new TreeMap<>();
        for (WorkerProbe probe : probes) {
            probe.eventsPublished().forEach((type, count) -> events.merge(type, count, Long::sum));
        }
        return events;
    }

    /** {@code lazarus run} with these options, handed to the service when there is one. */
    private LazarusCli.Running startRun(LazarusCli cli, ServiceCoordinator coordinator, String... options)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(List.of(options));
        if (coordinator != null) {
            args.addAll(List.of("--server", coordinator.url()));
        }
        return cli.start(args.toArray(String[]::new));
    }

    /** Commands with a registry of their own, or handing their runs to the service. */
    private LazarusCli cli(ServiceCoordinator coordinator) {
        LazarusCli cli = new LazarusCli(rabbit.toString());
        return coordinator == null
                ? cli
                : cli.withEnvironment(Map.of("LAZARUS_SERVICE_API_TOKEN", coordinator.token()));
    }

    /**
     * Creates the registry's schema before the measured run, as an operator's earlier commands did: the run's start
     * is then that of every run after a machine's first command.
     */
    private void primeRegistry(LazarusCli cli) throws Exception {
        long start = System.nanoTime();
        LazarusCli.Result primed = cli.run("registry", "compact");
        if (primed.exitCode() != 0) {
            throw new BenchmarkFailure("lazarus registry compact exited " + primed.exitCode() + ":\n" + primed);
        }
        out.printf(
                Locale.ROOT,
                "registry: created by lazarus registry compact in %d ms (a machine's first command does this once)%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The process's CPU time once it has gone quiet (under 20 ms in half a second, at most 30 s): after the last
     * outcome a service still records the events it has been sent.
     */
    private static Duration quietCpu(long pid) throws InterruptedException {
        Duration last = ProcStatus.cpu(pid);
        for (int i = 0; i < 60; i++) {
            Thread.sleep(500);
            Duration now = ProcStatus.cpu(pid);
            if (now.minus(last).toMillis() < 20) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static List<WorkerResult> workerResults(
            List<WorkerProbe> probes, List<Sample> idle, List<List<Sample>> samples, List<Duration> cpuBefore) {
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

    /** As in the image: a worker out of heap ends, and the run fails at once rather than limp to its deadline. */
    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:+ExitOnOutOfMemoryError"));
        options.addAll(workerJvmOptions);
        if (workerHeap != null) {
            options.add("-Xmx" + workerHeap);
        }
        return options;
    }

    /** Enough for every wave of installs, plus the coordinator's own start and a wide margin. */
    private Duration runTimeout(int nodeCount) {
        if (runTimeout != null) {
            return runTimeout;
        }
        long waves = (nodeCount + (long) prefetch * workers - 1) / ((long) prefetch * workers);
        return install.multipliedBy(waves).plus(Duration.ofMinutes(5));
    }

    private static Path inventory(Path file, List<FleetNode> nodes, String user) throws IOException {
        return Files.write(file, nodes.stream().map(n -> n.inventoryLine(user)).toList());
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
                throw new TypeConversionException(
                        "'" + value + "' is not a positive duration (examples: 2s, 500ms, PT2S)");
            }
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command as {@code main} runs it: a failure to measure is one line on stderr and exit 3 ({@link #EXIT_FAILED}). */
    static CommandLine commandLine() {
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
        return command;
    }

    /** When a process ended, on the monotonic clock and on the wall clock. */
    private record Ended(long nanos, Instant at) {}
}
