package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.connections;
import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static io.lazarus.coordinator.inventory.InventoryFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryAnsibleIniTest {

    @Test
    void hostsBeforeAnySectionAndHostLinesReadAsAnsibleReadsThem() throws Exception {
        List<InventoryNode> nodes = parse("hosts", """
                ; comments start with ; or #
                lonely.example.com ansible_ssh_user=legacy ansible_ssh_port=2022
                db1.example.com:2222 ansible_user="ops"   # inline comment
                2001:db8::7
                [2001:db8::8]:2200
                [web]
                web1 ansible_host=10.0.0.1 ansible_port=2201 ansible_connection=ssh ansible_become=false
                web2 ansible_host=2001:db8::9 ansible_connection=smart
                [web]
                web3 ansible_host=10.0.0.3
                """);

        assertThat(connections(nodes))
                .containsExactly(
                        "lonely.example.com legacy@lonely.example.com:2022",
                        "db1.example.com ops@db1.example.com:2222",
                        "2001:db8::7 root@[2001:db8::7]:22",
                        "2001:db8::8 root@[2001:db8::8]:2200",
                        "web1 root@10.0.0.1:2201",
                        "web2 root@[2001:db8::9]:22",
                        "web3 root@10.0.0.3:22");
        assertThat(ids(parse("hosts", "a\n[web]\nweb1\n[all]\nb\n", "ungrouped")))
                .containsExactly("a", "b");
    }

    @Test
    void aHostInSeveralGroupsIsOneNode() throws Exception {
        List<InventoryNode> nodes = parse("hosts", """
                [web]
                shared ansible_host=10.0.0.1
                [db]
                shared ansible_port=2222
                [backup]
                shared
                """);

        assertThat(nodes)
                .singleElement()
                .extracting(InventoryNode::id, InventoryNode::host, InventoryNode::port)
                .containsExactly("shared", "10.0.0.1", 2222);
        assertThat(nodes.getFirst().source()).hasToString("hosts:2");
    }

    @Test
    void twoNamesForOneAddressAreDuplicatesAsInThePlainFormat() {
        assertThat(problems("hosts", """
                [web]
                web1 ansible_host=10.0.0.1
                web2 ansible_host=10.0.0.1
                web3 ansible_host=10.0.0.1 ansible_port=2222
                WEB.example.com
                [db]
                db ansible_host=web.example.com
                """))
                .containsExactly(
                        "hosts:3: duplicate node 10.0.0.1:22 (first at line 2)",
                        "hosts:7: duplicate node web.example.com:22 (first at line 5)");
    }

    @Test
    void aGroupWithoutHostsAnywhereIsNoNodes() {
        assertThat(problems("hosts", "[web]\n[web:vars]\nansible_user=x\n"))
                .containsExactly("hosts: no hosts (none of its" + " groups has any)");
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        assertThat(problems("hosts", """
                [web]
                web1 ansible_port=ssh
                web2 ansible_password=hunter2
                [web:foo]
                [db:vars]
                ansible_user=x
                """))
                .extracting(p -> p.substring(0, p.indexOf(": ")))
                .containsExactly("hosts:2", "hosts:3", "hosts:4", "hosts:5");
    }
}
