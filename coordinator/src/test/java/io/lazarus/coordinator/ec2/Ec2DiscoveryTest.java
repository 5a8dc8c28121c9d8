package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lazarus.coordinator.inventory.InventoryNode;
import io.lazarus.testkit.ec2.FakeEc2;
import io.lazarus.testkit.ec2.FakeInstance;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2DiscoveryTest {

    private final FakeEc2 ec2 = FakeEc2.start();
    private final Ec2Fixture fixture = new Ec2Fixture(ec2);

    Ec2DiscoveryTest() throws IOException {}

    @AfterEach
    void stop() {
        ec2.close();
    }

    @Test
    void followsEveryPageAndSendsTheFiltersWithRunningOnly() {
        for (int i = 0; i < 7; i++) {
            ec2.addRunning("t3.micro", Map.of("Role", "web", "Name", "web-" + i), true);
        }
        ec2.addRunning("t3.micro", Map.of("Role", "db"), true);
        ec2.pageSize(3);

        Ec2Discovery.Found found;
        try (Ec2Session session = fixture.open()) {
            found = new Ec2Discovery(session)
                    .running(
                            "--ec2-filter",
                            Ec2Filters.parse(
                                    "--ec2-filter", List.of("tag:Role=web", "instance-type=t3.micro,t3.small")));
        }

        assertThat(found.pages()).isEqualTo(3);
        assertThat(found.instances())
                .hasSize(7)
                .allSatisfy(i -> assertThat(i.tags()).containsEntry("Role", "web"));
        List<FakeEc2.Call> calls = ec2.calls("DescribeInstances");
        assertThat(calls).hasSize(3);
        assertThat(calls.getFirst().filters())
                .containsEntry("tag:Role", List.of("web"))
                .containsEntry("instance-type", List.of("t3.micro", "t3.small"))
                .containsEntry("instance-state-name", List.of("running"));
        assertThat(calls.get(1).param("NextToken")).isNotNull();
    }

    @Test
    void instancesBecomeNodesWithTheirFacts() {
        FakeInstance web = ec2.addRunning("t3.micro", Map.of("Role", "web", "Name", "web 1"), true);
        FakeInstance hidden = ec2.addRunning("t3.micro", Map.of("Role", "web"), false);

        Ec2Nodes nodes;
        try (Ec2Session session = fixture.open()) {
            List<Ec2Instance> found = new Ec2Discovery(session)
                    .running("--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web")))
                    .instances();
            nodes = Ec2Nodes.of(found, AddressKind.PUBLIC, "ec2-user", 22);
        }

        assertThat(nodes.nodes()).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(web.id());
            assertThat(node.host()).isEqualTo(web.publicIp());
            assertThat(node.user()).isEqualTo("ec2-user");
            assertThat(node.facts())
                    .containsEntry("instance_id", web.id())
                    .containsEntry("instance_type", "t3.micro")
                    .containsEntry("availability_zone", web.zone())
                    .containsEntry("private_ip", web.privateIp())
                    .containsEntry("public_ip", web.publicIp())
                    .containsEntry("ami", web.ami())
                    .containsEntry("name", "web 1");
        });
        assertThat(nodes.unaddressableLines())
                .containsExactly(hidden.id() + " (running, t3.micro, " + hidden.zone() + ") has no public address");
        assertThat(nodes.nodes()).extracting(InventoryNode::id).doesNotContain(hidden.id());
    }

    @Test
    void anUnknownFilterNameIsNamedInTheError() {
        try (Ec2Session session = fixture.open()) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web", "flavour=large"))))
                    .isInstanceOfSatisfying(
                            Ec2Exception.class, e -> assertThat(e.input()).isTrue())
                    .hasMessageStartingWith("--ec2-filter 'flavour=large': EC2 does not know the filter 'flavour'")
                    .hasMessageContaining("InvalidParameterValue: The filter 'flavour' is invalid");
        }
    }

    @Test
    void missingPermissionNamesTheActionAndTheCredentials() {
        ec2.deny("DescribeInstances");
        try (Ec2Session session = fixture.open()) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web"))))
                    .isInstanceOfSatisfying(
                            Ec2Exception.class, e -> assertThat(e.input()).isFalse())
                    .hasMessageStartingWith("the AWS credentials lack the permission ec2:DescribeInstances"
                            + " (UnauthorizedOperation)")
                    .hasMessageContaining("is not authorized to perform: ec2:DescribeInstances")
                    .hasMessageContaining("aws sts decode-authorization-message")
                    .hasMessageNotContaining("8uKZ0kTfUUbpMkcHsF3A0dc9xQ6r0yPcqLzq");
        }
        assertThat(ec2.calls("DescribeInstances")).hasSize(1);
    }

    @Test
    void credentialsThatCannotBeFoundAreSaidPlainly() {
        try (Ec2Session session = fixture.open(new Ec2Overrides(null, "no-such-profile", null, null))) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web"))))
                    .isInstanceOfSatisfying(
                            Ec2Exception.class, e -> assertThat(e.input()).isFalse())
                    .hasMessageStartingWith("no AWS credentials for ec2:DescribeInstances: name a profile (--profile,"
                            + " AWS_PROFILE) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
                    .hasMessageContaining("no-such-profile");
        }
        assertThat(ec2.calls()).isEmpty();
    }

    @Test
    void anEndpointThatCannotBeReachedIsOneLine() throws IOException {
        FakeEc2 gone = FakeEc2.start();
        gone.close();
        try (Ec2Session session = new Ec2Fixture(gone, 2, Ec2RetryMode.STANDARD).open()) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("tag:Role=web"))))
                    .isInstanceOfSatisfying(
                            Ec2Exception.class,
                            e -> assertThat(Ec2Calls.passing(e)).isTrue())
                    .hasMessageStartingWith("cannot call ec2:DescribeInstances: ")
                    .hasMessageContaining("refused");
        }
    }

    @Test
    void choosingTheInstanceStateIsRefused() {
        try (Ec2Session session = fixture.open()) {
            Ec2Discovery discovery = new Ec2Discovery(session);
            assertThatThrownBy(() -> discovery.running(
                            "--ec2-filter", Ec2Filters.parse("--ec2-filter", List.of("instance-state-name=stopped"))))
                    .hasMessageContaining("only running instances are nodes");
        }
        assertThat(ec2.calls()).isEmpty();
    }
}
