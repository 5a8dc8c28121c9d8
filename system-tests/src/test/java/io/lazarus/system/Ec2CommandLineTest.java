package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.lazarus.common.contract.Contracts;
import io.lazarus.common.contract.InstallMessage;
import io.lazarus.common.topology.Topology;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.ec2.FakeEc2;
import io.lazarus.testkit.ec2.FakeInstance;
import io.lazarus.testkit.process.LazarusCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's EC2 walkthrough with the real command, on a local EC2 endpoint: provision, install with
 * {@code run --ec2-filter}, terminate. Region and credentials reach the SDK through its standard chain (environment);
 * nothing leaves loopback.
 */
class Ec2CommandLineTest {

    @RegisterExtension
    final LazarusSystem system = LazarusSystem.create();

    private FakeEc2 ec2;
    private LazarusCli lazarus;

    @BeforeEach
    void start() throws Exception {
        ec2 = system.closeAtEnd(FakeEc2.start());
        lazarus = system.cli()
                .withEnvironment(Map.of(
                        "LAZARUS_EC2_ENDPOINT", ec2.endpoint().toString(),
                        "LAZARUS_EC2_STATUSPOLLINTERVAL", "20ms",
                        "LAZARUS_EC2_BACKOFFBASE", "1ms",
                        "LAZARUS_EC2_THROTTLINGBACKOFFBASE", "5ms",
                        "AWS_REGION", "us-east-1",
                        "AWS_ACCESS_KEY_ID", "AKIALAZARUSTESTONLY",
                        "AWS_SECRET_ACCESS_KEY", "not-a-secret",
                        "AWS_EC2_METADATA_DISABLED", "true",
                        "AWS_CONFIG_FILE", system.file("no-aws-config").toString(),
                        "AWS_SHARED_CREDENTIALS_FILE",
                                system.file("no-aws-credentials").toString()));
    }

    @Test
    void provisionInstallOnTheInstancesAndTerminateThem() throws Exception {
        Path inventory = system.file("fleet.inventory");
        String script = system.write("install.sh", "true\n");
        ec2.throttleNext(2);

        LazarusCli.Result provisioned = lazarus.run(
                "ec2",
                "provision",
                "--count",
                "3",
                "--type",
                "t3.micro",
                "--ami",
                "ami-0abcdef1234567890",
                "--key-name",
                "fleet",
                "--security-group",
                "sg-0123456789abcdef0",
                "--ssh-cidr",
                "10.0.0.0/16",
                "--tag",
                "team=platform",
                "--user",
                "ec2-user",
                "--out",
                inventory.toString());

        assertThat(provisioned.exitCode()).as(provisioned.toString()).isZero();
        String runId = provisioned.runId();
        assertThat(provisioned.stdout())
                .contains(
                        "run " + runId + " in us-east-1: 3 asked, 3 launched, 3 ready," + " 0 dead on arrival",
                        "throttled EC2 calls: 2 (retried with backoff)");
        List<String> lines = Files.readAllLines(inventory).stream()
                .filter(l -> !l.startsWith("#"))
                .toList();
        assertThat(lines)
                .hasSize(3)
                .allSatisfy(line -> assertThat(line)
                        .startsWith("ec2-user@10.0.")
                        .contains(" name=i-", " fact.instance_type=t3.micro", " fact.lazarus_run=" + runId));

        LazarusCli.Result run = lazarus.run(
                "run", "--ec2-filter", "tag:lazarus:run=" + runId, "--script", script, "--user", "ec2-user");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout())
                .contains(
                        "ec2: 3 running instance(s) match tag:lazarus:run=" + runId
                                + " in us-east-1 (1 page(s)); 3 node(s) at their private address; 0 throttled EC2 call(s), retried",
                        "3 install messages confirmed by the broker");
        List<InstallMessage> messages = installMessages(3);
        List<String> ids = ec2.instances().stream().map(FakeInstance::id).toList();
        assertThat(messages).extracting(m -> m.node().id()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(messages).allSatisfy(m -> {
            FakeInstance instance = ec2.instances().stream()
                    .filter(i -> i.id().equals(m.node().id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(m.node().host()).isEqualTo(instance.privateIp());
            assertThat(m.node().user()).isEqualTo("ec2-user");
            assertThat(m.node().facts())
                    .containsEntry("instance_id", instance.id())
                    .containsEntry("instance_type", "t3.micro")
                    .containsEntry("availability_zone", instance.zone())
                    .containsEntry("private_ip", instance.privateIp())
                    .containsEntry("public_ip", instance.publicIp())
                    .containsEntry("ami", "ami-0abcdef1234567890")
                    .containsEntry("name", "lazarus-" + runId);
        });
        lazarus.run("report", run.runId(), "--json", system.json("report"));
        NodeReport node = system.report("report").nodes().getFirst();
        assertThat(node.facts()).containsEntry("instance_id", node.node());

        LazarusCli.Result dryRun = lazarus.run("ec2", "terminate", "--run", runId, "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout())
                .contains("3 instance(s) match tag:lazarus:run=" + runId + " in us-east-1:", "nothing was terminated");
        assertThat(ec2.instances()).allSatisfy(i -> assertThat(i.state()).isEqualTo("running"));

        LazarusCli.Result terminated = lazarus.run("ec2", "terminate", "--run", runId);

        assertThat(terminated.exitCode()).as(terminated.toString()).isZero();
        assertThat(terminated.stdout()).contains("terminated 3 instance(s):");
        ids.forEach(id -> assertThat(terminated.stdout()).contains(id + ": running -> shutting-down"));
        assertThat(ec2.instances()).allSatisfy(i -> assertThat(i.state()).isEqualTo("terminated"));

        LazarusCli.Result afterwards =
                lazarus.run("run", "--ec2-filter", "tag:lazarus:run=" + runId, "--script", script);
        assertThat(afterwards.exitCode()).isEqualTo(2);
        assertThat(afterwards.stderr()).contains("no running EC2 instance matches tag:lazarus:run=" + runId);
    }

    @Test
    void instancesWithoutTheAddressAreListedAndTheRunRefused() throws Exception {
        String script = system.write("install.sh", "true\n");
        ec2.addRunning("t3.micro", Map.of("Role", "web"), true);
        FakeInstance privateOnly = ec2.addRunning("t3.micro", Map.of("Role", "web"), false);

        LazarusCli.Result refused =
                lazarus.run("run", "--ec2-filter", "tag:Role=web", "--address", "public", "--script", script);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.stderr())
                .contains(
                        "1 of 2 matching instance(s) have no public address:",
                        privateOnly.id() + " (running, t3.micro",
                        "--skip-unaddressable");

        LazarusCli.Result skipped = lazarus.run(
                "run",
                "--ec2-filter",
                "tag:Role=web",
                "--address",
                "public",
                "--skip-unaddressable",
                "--script",
                script);

        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.stdout()).contains("skipped: " + privateOnly.id(), "1 install messages confirmed");
    }

    @Test
    void aBadFilterIsExitTwoAndAMissingPermissionExitFive() throws Exception {
        String script = system.write("install.sh", "true\n");

        LazarusCli.Result syntax = lazarus.run("run", "--ec2-filter", "tag:Role", "--script", script);
        LazarusCli.Result unknown = lazarus.run("run", "--ec2-filter", "flavour=large", "--script", script);
        ec2.deny("TerminateInstances");
        ec2.addRunning("t3.micro", Map.of("lazarus:run", "r-1"), false);
        LazarusCli.Result denied = lazarus.run("ec2", "terminate", "--run", "r-1");

        assertThat(syntax.exitCode()).isEqualTo(2);
        assertThat(syntax.stderr()).contains("--ec2-filter 'tag:Role': no '='");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("--ec2-filter 'flavour=large': EC2 does not know the filter 'flavour'");
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(5);
        assertThat(denied.stderr().strip())
                .doesNotContain("\n")
                .startsWith("lazarus: the AWS credentials lack the permission ec2:TerminateInstances");
    }

    private List<InstallMessage> installMessages(int count) throws Exception {
        List<InstallMessage> messages = new ArrayList<>();
        try (Connection connection = system.broker().newConnection("ec2-test");
                Channel channel = connection.createChannel()) {
            for (int i = 0; i < count; i++) {
                GetResponse response = channel.basicGet(Topology.INSTALL_QUEUE, true);
                assertThat(response)
                        .as("install message %d of %d", i + 1, count)
                        .isNotNull();
                messages.add(Contracts.readInstall(response.getBody()));
            }
        }
        return messages;
    }
}
