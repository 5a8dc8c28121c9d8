package io.lazarus.testkit.rabbit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes a test JVM started and could not stop because it died first ({@code kill -9}, a CI timeout): their directories
 * name the JVM that owned them. Only nodes whose owner is gone are stopped, so the nodes of tests running now on this
 * machine, and the machine's own broker, are left alone.
 */
final class Leftovers {

    private static final Logger log = LoggerFactory.getLogger(Leftovers.class);
    static final String OWNER = "owner.pid";
    static final String NODE = "node.name";
    private static boolean swept;

    private Leftovers() {}

    /** Once per JVM: stops every orphaned node and removes its directory. */
    static synchronized void sweep() {
        if (swept) {
            return;
        }
        swept = true;
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(temp, "lazarus-rabbit-*")) {
            for (Path dir : dirs) {
                if (orphaned(dir)) {
                    stop(dir);
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for RabbitMQ nodes left over by an earlier test run: {}", e.getMessage());
        }
    }

    private static boolean orphaned(Path dir) throws IOException {
        Path owner = dir.resolve(OWNER);
        if (!Files.isRegularFile(owner) || !Files.isRegularFile(dir.resolve(NODE))) {
            return false;
        }
        long pid = Long.parseLong(Files.readString(owner).strip());
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static void stop(Path dir) {
        try {
            String nodeName = Files.readString(dir.resolve(NODE)).strip();
            String cookie = Files.readString(dir.resolve(".erlang.cookie")).strip();
            Rabbitmqctl.Result stopped = new Rabbitmqctl(nodeName, cookie, dir).run(Duration.ofSeconds(60), "stop");
            log.info(
                    "stopped RabbitMQ node {} left over by an earlier test run ({})",
                    nodeName,
                    stopped.ok() ? "it was running" : "it was not running");
            NodeFiles.delete(dir);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot clean up the RabbitMQ node left over in {}: {}", dir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
