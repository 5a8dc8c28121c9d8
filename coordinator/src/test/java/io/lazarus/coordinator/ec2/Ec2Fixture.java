package io.lazarus.coordinator.ec2;

import io.lazarus.testkit.ec2.FakeEc2;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Real SDK clients on the tests' local EC2: fixed fake credentials through the standard chain's system properties,
 * no instance metadata, region us-east-1, and backoffs short enough for tests. Nothing reaches AWS.
 */
final class Ec2Fixture {

    static {
        System.setProperty("aws.accessKeyId", "AKIALAZARUSTESTONLY");
        System.setProperty("aws.secretAccessKey", "not-a-secret");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    /** What {@code /actuator/prometheus} serves from. */
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final Ec2Clients clients;

    Ec2Fixture(FakeEc2 ec2) {
        this(ec2, 10, Ec2RetryMode.STANDARD);
    }

    Ec2Fixture(FakeEc2 ec2, int maxAttempts, Ec2RetryMode mode) {
        this.clients = new Ec2Clients(
                new Ec2Properties(
                        "us-east-1",
                        null,
                        ec2.endpoint(),
                        maxAttempts,
                        mode,
                        Duration.ofMillis(1),
                        Duration.ofMillis(5),
                        Duration.ofMillis(20),
                        50,
                        Duration.ofMillis(5)),
                meters);
    }

    Ec2Session open() {
        return open(Ec2Overrides.NONE);
    }

    Ec2Session open(Ec2Overrides overrides) {
        return clients.open(overrides);
    }
}
