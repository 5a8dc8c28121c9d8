package io.lazarus.worker.install;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.worker.*}.
 *
 * @param prefetch       install messages the broker hands this worker, and the ceiling of its in-flight limit
 *                       (lazarus.worker.limit.*): replicas x prefetch = fleet concurrency at most
 * @param id             names this worker in every event; defaults to {@code <hostname>-<pid>}
 * @param confirmTimeout how long to wait for the broker to confirm an event before giving the message back
 * @param transientPatterns regular expressions (Java syntax, searched in the output tails): a failed command whose
 *                       output matches one is resurrectable; by default a dpkg or apt lock held by another process
 * @param shutdownGrace  on stop, how long the nodes in flight may take to finish before they are interrupted and their
 *                       messages go back to the queue; by default {@code lazarus.watchdog.max-node-deadline}, the
 *                       longest any node may run
 * @param maxMessageBytes a larger install message is refused before it is parsed
 * @param eventLinger    how long an event waits for others to go out in the same message: each attempt's events are
 *                       that much later, and the broker handles a message for many of them (0: one message an
 *                       event, the event alone as coordinators older than batching read it)
 */
@ConfigurationProperties("lazarus.worker")
public record WorkerProperties(
        @DefaultValue("100") int prefetch,
        String id,
        @DefaultValue("30s") Duration confirmTimeout,
        @DefaultValue({DPKG_LOCK, APT_LISTS_LOCK}) java.util.List<String> transientPatterns,
        Duration shutdownGrace,
        @DefaultValue("1048576") int maxMessageBytes,
        @DefaultValue("20ms") Duration eventLinger) {

    static final String DPKG_LOCK =
            "(?i)could not get lock /var/lib/dpkg/lock|unable to acquire the dpkg frontend lock";
    static final String APT_LISTS_LOCK = "(?i)could not get lock /var/lib/apt/lists/lock";

    public WorkerProperties {
        if (prefetch < 1 || prefetch > 65535) {
            throw new IllegalArgumentException("lazarus.worker.prefetch must be 1..65535, was " + prefetch);
        }
        if (shutdownGrace != null && shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("lazarus.worker.shutdown-grace must not be negative");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException(
                    "lazarus.worker.max-message-bytes must be 1024 or more, was " + maxMessageBytes);
        }
        if (eventLinger.isNegative() || eventLinger.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("lazarus.worker.event-linger must be 0 to 1s, was " + eventLinger);
        }
        if (id == null || id.isBlank()) {
            id = hostName() + "-" + ProcessHandle.current().pid();
        }
        transientPatterns = transientPatterns == null ? java.util.List.of() : java.util.List.copyOf(transientPatterns);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "worker";
        }
    }
}
