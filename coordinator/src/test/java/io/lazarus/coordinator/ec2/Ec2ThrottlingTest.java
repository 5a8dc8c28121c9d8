package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.testkit.ec2.FakeEc2;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EC2 throttles: the SDK retries with backoff, every throttled attempt is counted, and giving up is said plainly. */
class Ec2ThrottlingTest {

    private final FakeEc2 ec2 = FakeEc2.start();

    Ec2ThrottlingTest() throws IOException {}

    @AfterEach
    void stop() {
        ec2.close();
    }

    /** Adaptive mode also slows the client to a crawl once throttled (seconds here): it is asked to meet fewer. */
    @ParameterizedTest
    @CsvSource({"STANDARD, 4", "ADAPTIVE, 2"})
    void throttledCallsAreRetriedAndCounted(Ec2RetryMode mode, int throttles) {
        for (int i = 0; i < 5; i++) {
            ec2.addRunning("t3.micro", Map.of("Role", "web"), true);
        }
        ec2.pageSize(2);
        ec2.throttleNext(throttles);
        Ec2Fixture fixture = new Ec2Fixture(ec2, 10, mode);

        Ec2Discovery.Found found;
        int throttled;
        try (Ec2Session session = fixture.open()) {
            found = new Ec2Discovery(session)
                    .running("--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web")));
            throttled = session.throttles().count();
        }

        assertThat(found.instances()).hasSize(5);
        assertThat(throttled).isEqualTo(throttles);
        assertThat(ec2.calls("DescribeInstances"))
                .hasSize(3 + throttles)
                .filteredOn(c -> c.status() == 503)
                .hasSize(throttles);
        assertThat(fixture.meters.scrape())
                .contains("lazarus_ec2_throttled_calls_total{operation=\"DescribeInstances\"} " + throttles + ".0");
    }

    @Test
    void provisioningRidesOutThrottlingAndAStatusRoundThrottledPastItsRetriesIsAskedAgain() throws Exception {
        ec2.throttleNext(1);
        ec2.throttleNext("DescribeInstanceStatus", 3);
        Ec2Fixture fixture = new Ec2Fixture(ec2, 2, Ec2RetryMode.STANDARD);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Ec2Provisioner.Result result;
        int throttled;
        try (Ec2Session session = fixture.open()) {
            result = new Ec2Provisioner(session)
                    .provision(
                            new Ec2Provisioner.Request(
                                    "run-t",
                                    3,
                                    "t3.micro",
                                    "ami-1",
                                    "key",
                                    "sg-1",
                                    null,
                                    Map.of(),
                                    List.of("10.0.0.0/16"),
                                    Duration.ofSeconds(30),
                                    false),
                            new PrintStream(printed, true, StandardCharsets.UTF_8));
            throttled = session.throttles().count();
        }

        assertThat(result.complete()).isTrue();
        assertThat(throttled).isEqualTo(4);
        assertThat(printed.toString())
                .contains(
                        "status checks: ec2:DescribeInstanceStatus was still throttled"
                                + " (RequestLimitExceeded) after 2 attempt(s)",
                        "; asking again next round");
        assertThat(fixture.meters.get(ThrottleCounter.METER).counters())
                .extracting(c -> c.getId().getTag("operation"))
                .containsExactlyInAnyOrder("AuthorizeSecurityGroupIngress", "DescribeInstanceStatus");
        // the name the dashboard asks for (observability/grafana/lazarus.json, ObservabilityMetricsTest)
        assertThat(fixture.meters.scrape()).contains("lazarus_ec2_throttled_calls_total{");
    }

    @Test
    void throttlingPastTheMaxAttemptsIsAClearError() {
        ec2.throttleNext(100);
        Ec2Fixture fixture = new Ec2Fixture(ec2, 3, Ec2RetryMode.STANDARD);

        try (Ec2Session session = fixture.open()) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web"))))
                    .isInstanceOfSatisfying(
                            Ec2Exception.class, e -> assertThat(e.input()).isFalse())
                    .hasMessage("ec2:DescribeInstances was still throttled (RequestLimitExceeded) after 3 attempt(s):"
                            + " raise --max-attempts (lazarus.ec2.max-attempts) or try again later");
            assertThat(session.throttles().count()).isEqualTo(3);
        }
        assertThat(ec2.calls()).hasSize(3);
    }
}
