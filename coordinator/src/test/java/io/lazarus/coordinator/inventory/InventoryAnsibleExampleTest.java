package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.connections;
import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static io.lazarus.coordinator.inventory.InventoryFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet of Ansible's inventory guide (webservers, dbservers, atlanta, raleigh, southeast, usa) in INI and YAML. */
class InventoryAnsibleExampleTest {

    @Test
    void theIniFleetIsEveryHostOnceWithItsConnection() throws Exception {
        List<InventoryNode> nodes = parse("fleet.ini", resource("fleet.ini"));

        assertThat(connections(nodes))
                .containsExactly(
                        "mail.example.com deploy@mail.example.com:22",
                        "www01.example.com deploy@www01.example.com:22",
                        "www02.example.com deploy@www02.example.com:22",
                        "www03.example.com deploy@www03.example.com:22",
                        "web-admin.example.com admin@web-admin.example.com:2222",
                        "db-a.example.com postgres@db-a.example.com:22",
                        "db-b.example.com postgres@db-b.example.com:22",
                        "db-c.example.com postgres@db-c.example.com:22",
                        "host1 seadmin@10.1.0.1:22",
                        "host2 seadmin@10.1.0.2:22",
                        "host3 seadmin@10.2.0.3:2200",
                        "nyc1.example.com deploy@nyc1.example.com:22",
                        "nyc3.example.com deploy@nyc3.example.com:22",
                        "nyc5.example.com deploy@nyc5.example.com:22");
        assertThat(nodes).allSatisfy(node -> assertThat(node.facts()).isEmpty());
        assertThat(nodes.get(9).source()).hasToString("fleet.ini:13");
    }

    @Test
    void theYamlFleetIsTheSameNodes() throws Exception {
        List<InventoryNode> yaml = parse("fleet.yml", resource("fleet.yml"));

        assertThat(yaml)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(parse("fleet.ini", resource("fleet.ini")));
        assertThat(yaml.get(9).source()).hasToString("fleet.yml:30");
    }

    @Test
    void aLimitSelectsTheSameNodesFromEitherFormat() throws Exception {
        for (String limit : List.of(
                "webservers",
                "southeast",
                "usa:&raleigh",
                "usa:!atlanta",
                "db-*",
                "web*,mail*",
                "~nyc[13]",
                "all:!usa:!webservers")) {
            assertThat(ids(parse("fleet.yml", resource("fleet.yml"), limit)))
                    .as(limit)
                    .isEqualTo(ids(parse("fleet.ini", resource("fleet.ini"), limit)));
        }
        assertThat(ids(parse("fleet.yml", resource("fleet.yml"), "usa:&raleigh")))
                .containsExactly("host2", "host3");
    }
}
