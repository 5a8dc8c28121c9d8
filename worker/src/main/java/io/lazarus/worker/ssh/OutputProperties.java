package io.lazarus.worker.ssh;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code lazarus.worker.output.*}: each attempt's whole output goes to the registry, in chunks.
 *
 * @param cap                 output one attempt may send, both streams together; the rest is counted and dropped,
 *                            and the log ends with a line saying so
 * @param flushInterval       what a running script printed is sent at least this often (and at every 64 KiB), so
 *                            that {@code lazarus logs --follow} shows it; a script that ends sooner sends its output
 *                            with its outcome
 * @param maxFlushesPerSecond the worker's running attempts together flush at most this often: with more in flight
 *                            than this times the interval in seconds, each waits longer between flushes (1000 in
 *                            flight at 100 a second: every 10 s)
 */
@ConfigurationProperties("lazarus.worker.output")
public record OutputProperties(
        @DefaultValue("8MB") DataSize cap,
        @DefaultValue("1s") Duration flushInterval,
        @DefaultValue("100") int maxFlushesPerSecond) {

    public OutputProperties {
        if (cap.toBytes() < 1024) {
            throw new IllegalArgumentException("lazarus.worker.output.cap must be 1KB or more");
        }
        if (flushInterval.toMillis() < 100) {
            throw new IllegalArgumentException("lazarus.worker.output.flush-interval must be 100ms or more");
        }
        if (maxFlushesPerSecond < 1) {
            throw new IllegalArgumentException("lazarus.worker.output.max-flushes-per-second must be 1 or more");
        }
    }

    public static OutputProperties defaults() {
        return new OutputProperties(DataSize.ofMegabytes(8), Duration.ofSeconds(1), 100);
    }
}
