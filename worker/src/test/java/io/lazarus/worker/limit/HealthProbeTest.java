package io.lazarus.worker.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The heap reading is what the worker holds, not the garbage its sessions leave in the old generation: a JVM with a
 * 64 MiB heap holds 24 MiB and churns 8 MiB of objects that are promoted and die there. Before, the probe read the
 * whole heap after every collection, as {@code whole-heap} still does here.
 */
class HealthProbeTest {

    private static final Pattern READINGS = Pattern.compile("probe ([0-9.]+) whole-heap ([0-9.]+)");

    /** With the collector a worker is recommended (G1 holds its old regions' garbage too, until its cycles). */
    @Test
    void readsTheLiveHeapNotThePromotedGarbage() throws Exception {
        Process churn = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC",
                        "-Xmx64m",
                        "-Xmn8m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HeapChurn.class.getName(),
                        "24",
                        "6")
                .redirectErrorStream(true)
                .start();
        String out = new String(churn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(churn.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(churn.exitValue()).as(out).isZero();
        Matcher readings = READINGS.matcher(out);
        assertThat(readings.find()).as(out).isTrue();
        double probe = Double.parseDouble(readings.group(1));
        double wholeHeap = Double.parseDouble(readings.group(2));

        assertThat(wholeHeap)
                .as("a collection's whole heap, garbage included, passes the threshold (0.75): " + out)
                .isGreaterThan(0.75);
        assertThat(probe)
                .as("the probe reads the 32 of 64 MiB alive, and a little: " + out)
                .isBetween(0.3, 0.65);
    }

    @Test
    void theOldGenerationCountsWhatItKeptAtItsLastCollectionOrLessSinceThen() {
        assertThat(HealthProbe.heapKept(2, 90, 0))
                .as("never collected: all of it")
                .isEqualTo(92);
        assertThat(HealthProbe.heapKept(2, 90, 50))
                .as("garbage since its collection")
                .isEqualTo(52);
        assertThat(HealthProbe.heapKept(2, 30, 50))
                .as("emptied since: at most what it holds")
                .isEqualTo(32);
    }
}
