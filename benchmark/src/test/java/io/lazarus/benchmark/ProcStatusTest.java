package io.lazarus.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void aThreadsCpuIsCountedUnderItsNameWithoutItsPoolNumber() throws Exception {
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch sampled = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().name("busy-spinner-7").start(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            long x = 0;
            while (threads.getCurrentThreadCpuTime() < Duration.ofMillis(300).toNanos()) {
                x += System.nanoTime() % 7;
            }
            spun.countDown();
            try {
                sampled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(x).isNotNegative();
        });
        spun.await();

        Map<String, Duration> byThread =
                ProcStatus.cpuByThread(ProcessHandle.current().pid());
        sampled.countDown();
        busy.join();

        assertThat(byThread).containsKey("busy-spinner").doesNotContainKey("busy-spinner-7");
        assertThat(byThread.get("busy-spinner")).isBetween(Duration.ofMillis(280), Duration.ofSeconds(5));
    }

    @Test
    void aProcessThatIsGoneHasNoThreads() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();

        assertThat(ProcStatus.cpuByThread(gone.pid())).isEmpty();
    }
}
