package io.lazarus.coordinator.run;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lazarus.service.replica-id} and {@code lazarus.service.lease.*}: who this coordinator is among those sharing
 * one registry, and how long it holds a run it follows without renewing it.
 *
 * @param replicaId the name in the registry's leases and the logs; default host name, pid and a short random suffix
 */
@ConfigurationProperties("lazarus.service")
public record ReplicaProperties(
        String replicaId, @DefaultValue Lease lease) {

    public ReplicaProperties {
        replicaId = replicaId == null || replicaId.isBlank() ? defaultId() : replicaId.strip();
        if (replicaId.length() > 128) {
            throw new IllegalArgumentException("lazarus.service.replica-id is longer than 128 characters");
        }
    }

    /**
     * @param duration a run whose follower renews nothing for this long is taken over by another replica; the follower
     *                 renews every third of it
     */
    public record Lease(@DefaultValue("15s") Duration duration) {

        public Lease {
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("lazarus.service.lease.duration must be 1s or more");
            }
        }

        /** How often a follower renews its leases, and a replica looks for runs nobody follows. */
        public Duration renewEvery() {
            return duration.dividedBy(3);
        }
    }

    public static ReplicaProperties defaults() {
        return new ReplicaProperties(null, new Lease(Duration.ofSeconds(15)));
    }

    private static String defaultId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        String id = host + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return id.length() > 128 ? id.substring(id.length() - 128) : id;
    }
}
