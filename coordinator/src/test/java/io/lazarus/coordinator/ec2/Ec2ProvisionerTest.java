package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.testkit.ec2.FakeEc2;
import io.lazarus.testkit.ec2.FakeInstance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2ProvisionerTest {

    private static final String GROUP = "sg-0123456789abcdef0";

    private final FakeEc2 ec2 = FakeEc2.start();
    private final Ec2Fixture fixture = new Ec2Fixture(ec2);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    Ec2ProvisionerTest() throws IOException {}

    @AfterEach
    void stop() {
        ec2.close();
    }

    private static Ec2Provisioner.Request request(String runId, int count) {
        return request(runId, count, GROUP, List.of("10.0.0.0/16"), Duration.ofSeconds(30), false);
    }

    private static Ec2Provisioner.Request request(
            String runId,
            int count,
            String group,
            List<String> sshCidrs,
            Duration wait,
            boolean terminateDeadOnArrival) {
        return new Ec2Provisioner.Request(
                runId,
                count,
                "t3.micro",
                "ami-0abcdef1234567890",
                "fleet-key",
                group,
                null,
                Map.of("team", "platform"),
                sshCidrs,
                wait,
                terminateDeadOnArrival);
    }

    private Ec2Provisioner.Result provision(Ec2Provisioner.Request request) throws InterruptedException {
        try (Ec2Session session = fixture.open()) {
            return new Ec2Provisioner(session).provision(request, out);
        }
    }

    @Test
    void launchesInBatchesTagsEveryInstanceAndPollsAtMostAHundredIdsACall() throws Exception {
        Ec2Provisioner.Result result = provision(request("run-120", 120));

        assertThat(ec2.calls("RunInstances"))
                .extracting(c -> c.param("MaxCount"))
                .containsExactly("50", "50", "20");
        assertThat(ec2.calls("RunInstances"))
                .extracting(c -> c.param("ClientToken"))
                .containsExactly("run-120-1", "run-120-2", "run-120-3");
        assertThat(ec2.calls("RunInstances")).allSatisfy(c -> {
            assertThat(c.param("MinCount")).isEqualTo("1");
            assertThat(c.param("ImageId")).isEqualTo("ami-0abcdef1234567890");
            assertThat(c.param("KeyName")).isEqualTo("fleet-key");
            assertThat(c.param("SecurityGroupId.1")).isEqualTo(GROUP);
        });
        assertThat(ec2.instances())
                .hasSize(120)
                .allSatisfy(i -> assertThat(i.tags())
                        .containsEntry("lazarus:run", "run-120")
                        .containsEntry("Name", "lazarus-run-120")
                        .containsEntry("team", "platform"));
        List<FakeEc2.Call> polls = ec2.calls("DescribeInstanceStatus");
        assertThat(polls).allSatisfy(c -> {
            assertThat(c.list("InstanceId")).hasSizeBetween(1, 100);
            assertThat(c.param("IncludeAllInstances")).isEqualTo("true");
        });
        // pending, initializing, passed: three rounds of two calls (100 + 20 ids)
        assertThat(polls).hasSize(6);
        assertThat(result.complete()).isTrue();
        assertThat(result.ready())
                .hasSize(120)
                .allSatisfy(i -> assertThat(i.state()).isEqualTo("running"));
        assertThat(result.deadOnArrival()).isEmpty();
        assertThat(printed.toString())
                .contains(
                        "batch 1/3: launched 50 of 50",
                        "batch 3/3: launched 20 of 20",
                        "status checks: 120/120 passed, 0 dead on arrival");
    }

    @Test
    void anInstanceThatNeverPassesItsChecksIsDeadOnArrivalAndCanBeTerminated() throws Exception {
        ec2.impairNextLaunched(1);
        Ec2Provisioner.Result result =
                provision(request("run-doa", 3, GROUP, List.of("10.0.0.0/16"), Duration.ofSeconds(30), true));

        FakeInstance impaired = ec2.instances().getFirst();
        assertThat(result.ready()).hasSize(2).noneMatch(i -> i.id().equals(impaired.id()));
        assertThat(result.deadOnArrival()).containsExactly(Map.entry(impaired.id(), "instance status check impaired"));
        assertThat(result.terminated()).singleElement().hasToString(impaired.id() + ": running -> shutting-down");
        assertThat(impaired.state()).isEqualTo("terminated");
        assertThat(result.complete()).isFalse();
    }

    @Test
    void anInstanceStillInitializingWhenTheWaitEndsIsDeadOnArrival() throws Exception {
        Ec2Provisioner.Result result =
                provision(request("run-slow", 1, GROUP, List.of("10.0.0.0/16"), Duration.ofMillis(1), false));

        assertThat(result.ready()).isEmpty();
        assertThat(result.deadOnArrival().values())
                .singleElement()
                .asString()
                .startsWith("did not pass its status checks within 0s (last seen: pending");
    }

    @Test
    void newInstancesNotYetVisibleToStatusChecksAreWaitedFor() throws Exception {
        ec2.hideFromStatusFor(2);

        Ec2Provisioner.Result result = provision(request("run-eventual", 2));

        assertThat(result.ready()).hasSize(2);
        assertThat(ec2.calls("DescribeInstanceStatus"))
                .extracting(FakeEc2.Call::status)
                .startsWith(400, 400, 200);
    }

    @Test
    void capacityShortfallsAreReportedAndTheOtherBatchesStillLaunch() throws Exception {
        ec2.capacity(60);

        Ec2Provisioner.Result result = provision(request("run-short", 120));

        assertThat(ec2.instances()).hasSize(60);
        assertThat(result.launched()).isEqualTo(60);
        assertThat(result.ready()).hasSize(60);
        assertThat(result.shortfalls()).hasSize(2);
        assertThat(result.shortfalls().getFirst()).isEqualTo("batch 2: EC2 launched 10 of 50");
        assertThat(result.shortfalls().get(1))
                .startsWith("batch 3: 20 instance(s) not launched: ec2:RunInstances failed:"
                        + " InsufficientInstanceCapacity: We currently do not have sufficient t3.micro capacity");
        assertThat(result.complete()).isFalse();
    }

    @Test
    void theSecurityGroupAdmitsSshOnceAndAnExistingRuleIsFine() throws Exception {
        ec2.allowSsh(GROUP, "10.0.0.0/16");
        provision(
                request("run-ssh", 1, GROUP, List.of("10.0.0.0/16", "203.0.113.7/32"), Duration.ofSeconds(30), false));

        List<FakeEc2.Call> calls = ec2.calls("AuthorizeSecurityGroupIngress");
        assertThat(calls).extracting(FakeEc2.Call::status).containsExactly(400, 200);
        assertThat(calls.get(1).params())
                .containsEntry("GroupId", GROUP)
                .containsEntry("IpPermissions.1.IpProtocol", "tcp")
                .containsEntry("IpPermissions.1.FromPort", "22")
                .containsEntry("IpPermissions.1.ToPort", "22")
                .containsEntry("IpPermissions.1.IpRanges.1.CidrIp", "203.0.113.7/32");
        assertThat(printed.toString())
                .contains(
                        GROUP + ": SSH (tcp/22) from 10.0.0.0/16 was already allowed",
                        GROUP + ": SSH (tcp/22) from 203.0.113.7/32 allowed now");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsAsked() {
        Ec2Provisioner.Request badCidr =
                request("run-bad", 1, GROUP, List.of("10.0.0.300/16"), Duration.ofSeconds(30), false);
        Ec2Provisioner.Request groupName =
                request("run-bad", 1, "default", List.of("10.0.0.0/16"), Duration.ofSeconds(30), false);

        assertThatThrownBy(() -> provision(badCidr))
                .hasMessageStartingWith("--ssh-cidr '10.0.0.300/16' is not a CIDR block");
        assertThatThrownBy(() -> provision(groupName))
                .hasMessage("--security-group takes a group id (sg-...), was 'default'");
        assertThat(ec2.calls()).isEmpty();
    }

    @Test
    void missingPermissionToLaunchStopsBeforeAnyInstance() {
        ec2.deny("RunInstances");

        assertThatThrownBy(() -> provision(request("run-denied", 120)))
                .isInstanceOfSatisfying(
                        Ec2Exception.class, e -> assertThat(e.input()).isFalse())
                .hasMessageStartingWith(
                        "the AWS credentials lack the permission ec2:RunInstances (UnauthorizedOperation)");
        assertThat(ec2.calls("RunInstances")).hasSize(1);
        assertThat(ec2.instances()).isEmpty();
    }

    @Test
    void provisioningTheSameRunAgainLaunchesNothingTwice() throws Exception {
        provision(request("run-again", 60));
        Ec2Provisioner.Result again = provision(request("run-again", 60));

        assertThat(ec2.instances()).hasSize(60);
        assertThat(again.ready()).hasSize(60);
    }
}
