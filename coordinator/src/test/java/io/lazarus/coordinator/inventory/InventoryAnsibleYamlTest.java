package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.connections;
import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static io.lazarus.coordinator.inventory.InventoryFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryAnsibleYamlTest {

    @Test
    void topLevelGroupsShortFormsAndPlaybookVariables() throws Exception {
        List<InventoryNode> nodes = parse("hosts.yml", """
                ---
                # groups other than all at the top, a string for a single host or child
                webservers:
                  hosts: web1.example.com
                  vars:
                    http_port: 8080
                    packages: [nginx, certbot]
                    deploy: {from: "{{ lookup('env', 'HOME') }}"}
                prod:
                  children: webservers
                dbservers:
                  hosts:
                    "db[01:02].example.com:2222":
                      ansible_ssh_user: postgres
                      ansible_connection: ssh
                      backups: true
                    ? db-extra.example.com
                    '[2001:db8::1]:2201':
                      ansible_become: no
                empty:
                """);

        assertThat(connections(nodes))
                .containsExactly(
                        "web1.example.com root@web1.example.com:22",
                        "db01.example.com postgres@db01.example.com:2222",
                        "db02.example.com postgres@db02.example.com:2222",
                        "db-extra.example.com root@db-extra.example.com:22",
                        "2001:db8::1 root@[2001:db8::1]:2201");
        assertThat(nodes.get(3).source()).hasToString("hosts.yml:17");
        assertThat(ids(parse("hosts.yml", "webservers:\n  hosts: web1\nprod:\n  children: webservers\n", "prod")))
                .containsExactly("web1");
    }

    @Test
    void everyProblemIsReportedWithItsLine() {
        assertThat(problems("hosts.yml", """
                all:
                  hosts:
                    web1:
                      ansible_port: ssh
                    web2:
                      ansible_password: x
                  children:
                    db:
                      hosts:
                        - db1
                """))
                .containsExactly(
                        "hosts.yml:4: ansible_port: port 'ssh' is not a number",
                        "hosts.yml:6: ansible_password is refused: Lazarus never takes secrets or keys from the inventory; the"
                                + " workers hold the SSH credential (LAZARUS_SSH_IDENTITY_FILE)",
                        "hosts.yml:10: the hosts of group 'db' must be a mapping (host: or host: {variables}), not a list");
    }

    @Test
    void anEmptyDocumentHasNoHosts() {
        assertThat(problems("hosts.yml", "---\n# nothing yet\n"))
                .containsExactly("hosts.yml: no hosts (the YAML document is empty)");
        assertThat(problems("hosts.yml", "all:\n  children:\n    web:\n"))
                .containsExactly("hosts.yml: no hosts (none of its groups has any)");
    }

    @Test
    void twoDocumentsAreNotOneInventory() {
        assertThat(problems("hosts.yml", "all:\n  hosts:\n    a:\n---\nall:\n  hosts:\n    b:\n"))
                .singleElement()
                .asString()
                .startsWith("hosts.yml:4: not YAML: ");
    }
}
