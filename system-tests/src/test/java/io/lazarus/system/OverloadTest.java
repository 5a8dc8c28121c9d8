package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.RunReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker never dies of overload: one worker with a 128 MiB heap, handed all 5000 nodes at once (prefetch 5000),
 * starts only as many as its in-flight limit allows and finishes every one. Without the limit its 5000 handshakes at
 * once (about 80 KiB of heap each in the middle of an install) do not fit in that heap.
 */
class OverloadTest {

    private static final int NODES = 5000;
    /** Below the heap threshold (0.75) of 128 MiB at heap-per-node (88 KB), with nothing else in the heap. */
    private static final int MOST_128_MIB_HOLDS = (int) (0.75 * 128 * 1024 / 88);

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.nodes(NODES, NodeBehavior.install(Duration.ofMillis(500), 2)))
            .worker(Map.of(
                    "LAZARUS_WORKER_PREFETCH", String.valueOf(NODES),
                    "JAVA_TOOL_OPTIONS", "-Xmx128m",
                    // the unlimited side of the comparison: LAZARUS_WORKER_LIMIT_ENABLED=false here fails the test
                    "LAZARUS_WORKER_LIMIT_ENABLED", System.getProperty("lazarus.test.limit-enabled", "true")));

    @Test
    void aSmallHeapAtPrefetch5000FinishesAll5000Nodes() throws Exception {
        List<SimulatedNode> nodes = system.fleet().nodes();

        LazarusCli.Running running = system.cli()
                .start(
                        "run",
                        "--inventory",
                        system.inventory("all", nodes),
                        "--script",
                        system.script(),
                        "--wait",
                        "--json",
                        system.json("all"));
        int mostAtOnce = 0;
        long giveUp = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (running.process().isAlive() && System.nanoTime() - giveUp < 0) {
            mostAtOnce = Math.max(
                    mostAtOnce, nodes.stream().mapToInt(SimulatedNode::running).sum());
            Thread.sleep(200);
        }
        assertThat(system.worker().isAlive())
                .as("the worker survived; log " + system.worker().log())
                .isTrue();
        LazarusCli.Result result = running.await(Duration.ofSeconds(10));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        RunReport report = system.report("all");
        assertThat(report.states()).containsExactly(Map.entry(NodeState.SUCCEEDED, NODES));
        assertThat(mostAtOnce).as("installs running at once").isBetween(1, NODES - 1);
        String status = system.worker().get("/actuator/limit");
        assertThat(status).contains("\"waiting\":0").contains("\"reason\":");
        Matcher max = Pattern.compile("\"max\":(\\d+)").matcher(status);
        assertThat(max.find()).as(status).isTrue();
        assertThat(Integer.parseInt(max.group(1)))
                .as("as high as the limit goes: what 128 MiB can hold, not the prefetch")
                .isBetween(4, MOST_128_MIB_HOLDS);
        assertThat(status)
                .as("fetches no more than it could start: the rest stay in the queue")
                .contains("\"prefetch\":" + max.group(1) + ",");
        // a fresh worker whose heap holds little starts at the highest the heap allows and has nowhere to rise
        // (always with the serial collector and compact headers, on some starts with G1); otherwise it rises to it
        Matcher start = Pattern.compile("in-flight limit starts at (\\d+) of at most (\\d+)")
                .matcher(Files.readString(system.worker().log()));
        assertThat(start.find()).as("the worker logs where its limit starts").isTrue();
        boolean startedAtHighest = start.group(1).equals(start.group(2));
        assertThat(startedAtHighest
                        || system.worker().metric("lazarus_worker_limit_changes_total", "reason=\"headroom\"") > 0)
                .as(
                        "the limit reached what the heap holds: it started there (%s of %s) or rose for headroom",
                        start.group(1), start.group(2))
                .isTrue();
    }
}
