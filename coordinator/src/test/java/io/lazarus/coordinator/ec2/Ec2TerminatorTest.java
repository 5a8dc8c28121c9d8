package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.testkit.ec2.FakeEc2;
import io.lazarus.testkit.ec2.FakeInstance;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2TerminatorTest {

    private final FakeEc2 ec2 = FakeEc2.start();
    private final Ec2Fixture fixture = new Ec2Fixture(ec2);
    private final FakeInstance ours = ec2.addRunning("t3.micro", Map.of("lazarus:run", "run-1", "Role", "web"), true);
    private final FakeInstance other = ec2.addRunning("t3.micro", Map.of("lazarus:run", "run-2", "Role", "web"), true);
    private final FakeInstance notLazarus = ec2.addRunning("t3.micro", Map.of("Role", "web"), true);

    Ec2TerminatorTest() throws IOException {}

    @AfterEach
    void stop() {
        ec2.close();
    }

    @Test
    void findsOnlyTheRunsInstancesInLiveStates() {
        List<Ec2Instance> found;
        try (Ec2Session session = fixture.open()) {
            found = new Ec2Terminator(session).find("--filter", List.of(Ec2Terminator.run("run-1")));
        }

        assertThat(found).extracting(Ec2Instance::id).containsExactly(ours.id());
        assertThat(ec2.calls("DescribeInstances").getFirst().filters())
                .containsEntry("tag:lazarus:run", List.of("run-1"))
                .containsEntry("tag-key", List.of("lazarus:run"))
                .containsEntry("instance-state-name", List.of("pending", "running", "stopping", "stopped"));
    }

    @Test
    void aWideFilterNeverReachesInstancesLazarusDidNotLaunch() {
        List<Ec2Instance> found;
        try (Ec2Session session = fixture.open()) {
            found = new Ec2Terminator(session).find("--filter", Ec2Filters.parse("--filter", List.of("tag:Role=web")));
        }

        assertThat(found)
                .extracting(Ec2Instance::id)
                .containsExactlyInAnyOrder(ours.id(), other.id())
                .doesNotContain(notLazarus.id());
    }

    @Test
    void aDryRunAsksEc2AndTerminatesNothing() {
        try (Ec2Session session = fixture.open()) {
            new Ec2Terminator(session).checkPermission(List.of(ours.id()));
        }

        FakeEc2.Call call = ec2.calls("TerminateInstances").getFirst();
        assertThat(call.param("DryRun")).isEqualTo("true");
        assertThat(call.status()).isEqualTo(412);
        assertThat(ours.state()).isEqualTo("running");
    }

    @Test
    void aDryRunWithoutThePermissionSaysSo() {
        ec2.deny("TerminateInstances");
        try (Ec2Session session = fixture.open()) {
            Ec2Terminator terminator = new Ec2Terminator(session);
            assertThatThrownBy(() -> terminator.checkPermission(List.of(ours.id())))
                    .hasMessageStartingWith("the AWS credentials lack the permission ec2:TerminateInstances");
        }
    }

    @Test
    void terminatesAndReportsEachTransition() {
        List<Ec2Terminator.Transition> transitions;
        try (Ec2Session session = fixture.open()) {
            transitions = new Ec2Terminator(session).terminate(List.of(ours.id()));
        }

        assertThat(transitions).containsExactly(new Ec2Terminator.Transition(ours.id(), "running", "shutting-down"));
        assertThat(ours.state()).isEqualTo("terminated");
        assertThat(other.state()).isEqualTo("running");
    }
}
