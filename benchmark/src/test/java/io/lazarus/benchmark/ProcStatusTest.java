package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aThreadsCpuIsCountedUnderItsNameWithoutItsPoolNumber() throws Exception {
        CountDownLatch sampled = new CountDownLatch(1);
        Thread busy = spinThenAwait("busy-spinner-7", sampled);

        ThreadCpuTally tally = new ThreadCpuTally();
        tally.add(ProcStatus.cpuOfThreads(SELF));
        sampled.countDown();
        busy.join();

        Map<String, Duration> byName = tally.byName();
        assertThat(byName).containsKey("busy-spinner").doesNotContainKey("busy-spinner-7");
        assertThat(byName.get("busy-spinner")).isBetween(Duration.ofMillis(280), Duration.ofSeconds(5));
    }

    @Test
    void aThreadThatEndedBeforeTheLastSampleStillCounts() throws Exception {
        CountDownLatch sampled = new CountDownLatch(1);
        Thread busy = spinThenAwait("ended-spinner", sampled);
        ThreadCpuTally tally = new ThreadCpuTally();
        tally.add(ProcStatus.cpuOfThreads(SELF));
        sampled.countDown();
        busy.join();

        // the kernel may list the task for a moment after join() returns
        Map<Long, ProcStatus.ThreadCpu> afterItEnded = ProcStatus.cpuOfThreads(SELF);
        for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                afterItEnded.values().stream().anyMatch(t -> t.name().equals("ended-spinner"))
                        && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
            afterItEnded = ProcStatus.cpuOfThreads(SELF);
        }
        tally.add(afterItEnded);

        assertThat(afterItEnded.values()).noneMatch(t -> t.name().equals("ended-spinner"));
        assertThat(tally.byName().get("ended-spinner")).isGreaterThanOrEqualTo(Duration.ofMillis(280));
    }

    @Test
    void aThreadReadAsZeroWhileEndingKeepsWhatItHadUsed() {
        ThreadCpuTally tally = new ThreadCpuTally();
        tally.add(Map.of(41L, new ProcStatus.ThreadCpu("run-events", Duration.ofMillis(900))));
        tally.add(Map.of(41L, new ProcStatus.ThreadCpu("run-events", Duration.ZERO)));

        assertThat(tally.byName()).containsEntry("run-events", Duration.ofMillis(900));
    }

    @Test
    void aLongRunningProcessCountsOnlyWhatItsThreadsSpentSinceTheStart() {
        Map<Long, ProcStatus.ThreadCpu> start = Map.of(
                7L, new ProcStatus.ThreadCpu("registry-ingest", Duration.ofMillis(300)),
                8L, new ProcStatus.ThreadCpu("main", Duration.ofMillis(2000)));
        ThreadCpuTally tally = new ThreadCpuTally();
        tally.add(Map.of(
                7L, new ProcStatus.ThreadCpu("registry-ingest", Duration.ofMillis(1300)),
                8L, new ProcStatus.ThreadCpu("main", Duration.ofMillis(2000)),
                9L, new ProcStatus.ThreadCpu("run-events", Duration.ofMillis(400))));

        assertThat(tally.byNameSince(start))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "registry-ingest", Duration.ofMillis(1000),
                        "main", Duration.ZERO,
                        "run-events", Duration.ofMillis(400)));
    }

    @Test
    void aProcessThatIsGoneHasNoThreads() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();

        assertThat(ProcStatus.cpuOfThreads(gone.pid())).isEmpty();
    }

    /** A thread that spins 300 ms of CPU, then waits for {@code release} to end. Returns once it has spun. */
    private static Thread spinThenAwait(String name, CountDownLatch release) throws InterruptedException {
        CountDownLatch spun = new CountDownLatch(1);
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < Duration.ofMillis(300).toNanos()) {
                x += System.nanoTime() % 7;
            }
            spun.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(x).isNotNegative();
        });
        spun.await();
        return thread;
    }
}
