package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands no longer compact the H2 registry as they exit; {@code lazarus registry compact} does, on request, and
 * never under another process that has the file open.
 */
class RegistryCompactTest {

    private static final Pattern SIZES = Pattern.compile("compacted: ([0-9.]+) MB -> ([0-9.]+) MB");

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("quick-1", NodeBehavior.succeed())
                    .node("quick-2", NodeBehavior.succeed())
                    .node("slow-1", NodeBehavior.install(Duration.ofSeconds(8), 4)))
            .worker(Map.of());

    @Test
    void compactsTheRegistryOnlyWhenNoOtherProcessHasItOpenAndKeepsEveryRun() throws Exception {
        String inventory = system.inventory("quick", "quick-1", "quick-2");
        String first = waitedRun(inventory);
        String second = waitedRun(inventory);

        LazarusCli.Running slow = system.cli()
                .start("run", "--wait", "--inventory", system.inventory("slow", "slow-1"), "--script", system.script());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(slow.out()).contains("dispatching"));
        LazarusCli.Result refused = system.lazarus("registry", "compact");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("another lazarus process has the registry", "open");
        assertThat(slow.await(Duration.ofSeconds(60)).exitCode()).isZero();
        Path file = system.cli().registry().resolve("registry.mv.db");
        long before = Files.size(file);

        LazarusCli.Result compacted = system.lazarus("registry", "compact");

        assertThat(compacted.exitCode()).as(compacted.toString()).isZero();
        Matcher sizes = SIZES.matcher(compacted.stdout());
        assertThat(sizes.find()).as(compacted.stdout()).isTrue();
        assertThat(Double.parseDouble(sizes.group(2))).isLessThan(Double.parseDouble(sizes.group(1)));
        assertThat(Files.size(file)).isLessThan(before);
        for (String run : new String[] {first, second}) {
            LazarusCli.Result status = system.lazarus("status", run);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("by state:   SUCCEEDED 2");
        }
    }

    private static String waitedRun(String inventory) throws Exception {
        LazarusCli.Result run = system.lazarus("run", "--wait", "--inventory", inventory, "--script", system.script());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.runId();
    }
}
