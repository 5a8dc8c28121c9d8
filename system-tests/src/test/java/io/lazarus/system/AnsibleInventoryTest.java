package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lazarus.common.contract.NodeState;
import io.lazarus.coordinator.report.NodeReport;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.testkit.process.LazarusCli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An operator's existing Ansible inventory, narrowed with --limit, installed on through the broker and real SSH. */
class AnsibleInventoryTest {

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> fleet.node("web1", NodeBehavior.succeed())
                    .node("web2", NodeBehavior.succeed())
                    .node("db1", NodeBehavior.succeed()))
            .worker(Map.of());

    @Test
    void onlyTheLimitedGroupOfAnAnsibleInventoryIsInstalledOn() throws Exception {
        String inventory = system.write(
                "hosts.ini",
                String.join(
                        "\n",
                        "[webservers]",
                        "web1.example.com " + hostVars("web1"),
                        "web2.example.com " + hostVars("web2"),
                        "",
                        "[dbservers]",
                        "db1.example.com " + hostVars("db1"),
                        "",
                        "[all:vars]",
                        "ansible_user=deploy",
                        ""));

        LazarusCli.Result result = system.lazarus(
                "run",
                "--inventory",
                inventory,
                "--limit",
                "webservers",
                "--script",
                system.script(),
                "--wait",
                "--json",
                system.json("ansible"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(system.report("ansible").nodes())
                .allSatisfy(node -> assertThat(node)
                        .extracting(NodeReport::state, NodeReport::user)
                        .containsExactly(NodeState.SUCCEEDED, "deploy"))
                .extracting(NodeReport::node)
                .containsExactly("web1.example.com", "web2.example.com");
        assertThat(system.fleet().node("web1").executions()).hasSize(1);
        assertThat(system.fleet().node("web2").executions()).hasSize(1);
        assertThat(system.fleet().node("db1").executions())
                .as("outside the limit")
                .isEmpty();
    }

    private static String hostVars(String nodeId) {
        SimulatedNode node = system.fleet().node(nodeId);
        return "ansible_host=" + node.address() + " ansible_port=" + node.port();
    }
}
