package io.lazarus.system;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.fleet.SimulatedFleet;
import io.lazarus.fleet.SimulatedNode;
import io.lazarus.testkit.ClientKey;
import io.lazarus.testkit.RabbitBroker;
import io.lazarus.testkit.process.LazarusCli;
import io.lazarus.testkit.process.Processes;
import io.lazarus.testkit.process.WorkerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator's existing Ansible inventory, narrowed with --limit, installed on through the broker and real SSH. */
class AnsibleInventoryTest {

    @TempDir
    static Path dir;
    static SimulatedFleet fleet;
    static WorkerProcess worker;

    @AfterAll
    static void stop() throws Exception {
        SystemTests.stop(worker, fleet);
    }

    @Test
    void onlyTheLimitedGroupOfAnAnsibleInventoryIsInstalledOn() throws Exception {
        RabbitBroker broker = RabbitBroker.shared();
        SystemTests.freshTopology(broker);
        ClientKey key = ClientKey.generate(dir);
        fleet = SimulatedFleet.builder().authorizedKey(key.publicKeyLine())
                .node("web1", NodeBehavior.succeed()).node("web2", NodeBehavior.succeed())
                .node("db1", NodeBehavior.succeed()).start();
        worker = WorkerProcess.start(broker.uri(), key.privateKey(), dir.resolve("known_hosts"), Map.of(), List.of(),
                Processes.logs("system-tests"));
        List<String> ini = new ArrayList<>(List.of("[webservers]"));
        for (String id : List.of("web1", "web2")) {
            ini.add(id + ".example.com " + hostVars(fleet.node(id)));
        }
        ini.addAll(List.of("", "[dbservers]", "db1.example.com " + hostVars(fleet.node("db1")), "",
                "[all:vars]", "ansible_user=deploy"));
        Path inventory = Files.write(dir.resolve("hosts.ini"), ini);
        Path script = Files.writeString(dir.resolve("install.sh"), "apt-get install -y tomcat10\n");
        Path json = dir.resolve("ansible.json");

        LazarusCli.Result result = new LazarusCli(broker).run("run", "--inventory", inventory.toString(), "--limit",
                "webservers", "--script", script.toString(), "--wait", "--json", json.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> reported = new ArrayList<>();
        for (JsonNode node : Contracts.mapper().readTree(json.toFile()).get("nodes")) {
            reported.add(node.get("node").asString());
            assertThat(node.get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(node.get("user").asString()).isEqualTo("deploy");
        }
        assertThat(reported).containsExactly("web1.example.com", "web2.example.com");
        assertThat(fleet.node("web1").executions()).hasSize(1);
        assertThat(fleet.node("web2").executions()).hasSize(1);
        assertThat(fleet.node("db1").executions()).as("outside the limit").isEmpty();
    }

    private static String hostVars(SimulatedNode node) {
        return "ansible_host=" + node.address() + " ansible_port=" + node.port();
    }
}
