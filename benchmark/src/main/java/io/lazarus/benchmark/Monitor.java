package io.lazarus.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Samples every worker while the run goes on, prints a progress line now and then, and stops the run if a worker
 * dies (the coordinator would otherwise wait for its nodes until the run deadline).
 */
final class Monitor implements AutoCloseable {

    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);

    private final List<WorkerProbe> probes;
    private final List<List<Sample>> samples = new ArrayList<>();
    private final Process coordinator;
    private final int nodes;
    private final LongSupplier installsStarted;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Duration coordinatorCpu = Duration.ZERO;
    private final ThreadCpuTally coordinatorThreads = new ThreadCpuTally();
    private final OptionalLong service;
    private final ThreadCpuTally serviceThreads = new ThreadCpuTally();
    private volatile String failure;

    private Monitor(
            List<WorkerProbe> probes,
            Process coordinator,
            OptionalLong service,
            int nodes,
            LongSupplier installsStarted,
            PrintStream out) {
        this.probes = probes;
        this.coordinator = coordinator;
        this.service = service;
        this.nodes = nodes;
        this.installsStarted = installsStarted;
        this.out = out;
        probes.forEach(p -> samples.add(new ArrayList<>()));
        this.thread = Thread.ofPlatform().name("benchmark-monitor").daemon().start(this::loop);
    }

    /**
     * {@code installsStarted} answers -1 when the fleet cannot tell; the progress line then shows the node count alone.
     * {@code service}, the pid of a service coordinating the run, has its threads sampled too.
     */
    static Monitor start(
            List<WorkerProbe> probes,
            Process coordinator,
            OptionalLong service,
            int nodes,
            LongSupplier installsStarted,
            PrintStream out) {
        return new Monitor(probes, coordinator, service, nodes, installsStarted, out);
    }

    private void loop() {
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        try {
            while (!stopping) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                for (int i = 0; i < probes.size(); i++) {
                    WorkerProbe probe = probes.get(i);
                    if (!probe.worker().isAlive()) {
                        failure = "worker " + probe.worker().pid() + " died during the run; see "
                                + probe.worker().log();
                        coordinator.destroy();
                        return;
                    }
                    samples.get(i).add(probe.sample(seconds));
                }
                if (coordinator.isAlive()) {
                    // a process that ends between the two calls reads as zero: keep what the last sample saw
                    Duration cpu = ProcStatus.cpu(coordinator.pid());
                    if (cpu.compareTo(coordinatorCpu) > 0) {
                        coordinatorCpu = cpu;
                    }
                    synchronized (coordinatorThreads) {
                        coordinatorThreads.add(ProcStatus.cpuOfThreads(coordinator.pid()));
                    }
                }
                if (service.isPresent()) {
                    sampleService();
                }
                if (System.nanoTime() >= nextProgress) {
                    progress(seconds);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
                Thread.sleep(EVERY);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = "cannot sample the workers: " + e.getMessage();
            coordinator.destroy();
        }
    }

    /** One more sample of the service's threads (the last one, once the service has gone quiet after the run). */
    void sampleService() {
        Map<Long, ProcStatus.ThreadCpu> sample = ProcStatus.cpuOfThreads(service.orElseThrow());
        synchronized (serviceThreads) {
            serviceThreads.add(sample);
        }
    }

    /** The service's CPU by thread name since {@code start}, each thread as its last sample saw it. */
    Map<String, Duration> serviceThreadsSince(Map<Long, ProcStatus.ThreadCpu> start) {
        synchronized (serviceThreads) {
            return serviceThreads.byNameSince(start);
        }
    }

    private void progress(double seconds) {
        long started = installsStarted.getAsLong();
        StringBuilder line = new StringBuilder(
                started < 0
                        ? String.format(Locale.ROOT, "[%5.1fs] %d nodes", seconds, nodes)
                        : String.format(Locale.ROOT, "[%5.1fs] installs started %d/%d", seconds, started, nodes));
        for (List<Sample> worker : samples) {
            Sample last = worker.getLast();
            line.append(String.format(
                    Locale.ROOT,
                    " | in flight %s, RSS %d MiB, heap %s, threads %d",
                    last.inFlight() < 0 ? "?" : Integer.toString(last.inFlight()),
                    last.memory().rssKb() / 1024,
                    Double.isNaN(last.heapBytes()) ? "?" : (long) (last.heapBytes() / (1 << 20)) + " MiB",
                    last.memory().threads()));
        }
        out.println(line);
    }

    /** Each worker's samples, in the order of the probes; complete once closed. */
    List<List<Sample>> samples() {
        return samples;
    }

    /** Why the run was stopped early, or null. */
    String failure() {
        return failure;
    }

    /** The coordinator's CPU time at the last sample before it exited. */
    Duration coordinatorCpu() {
        return coordinatorCpu;
    }

    /** The coordinator's CPU by thread name, each thread as its last sample saw it (sampled every 200 ms). */
    Map<String, Duration> coordinatorThreads() {
        synchronized (coordinatorThreads) {
            return coordinatorThreads.byName();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join();
    }
}
