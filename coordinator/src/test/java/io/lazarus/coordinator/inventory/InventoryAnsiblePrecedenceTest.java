package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.connections;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Host variables beat child groups, which beat their parents, which beat all; as deep as each other, by priority then name. */
class InventoryAnsiblePrecedenceTest {

    private static final String INI = """
            [all:vars]
            ansible_user=from-all
            ansible_port=1000

            [usa:children]
            southeast

            [usa:vars]
            ansible_user=from-usa
            ansible_port=2000

            [southeast:children]
            atlanta

            [southeast:vars]
            ansible_user=from-southeast

            [atlanta]
            host1
            host2 ansible_user=from-host

            [zeta]
            host1
            host3

            [zeta:vars]
            ansible_user=from-zeta
            """;

    private static final String YAML = """
            all:
              vars: {ansible_user: from-all, ansible_port: 1000}
              children:
                usa:
                  vars: {ansible_user: from-usa, ansible_port: 2000}
                  children:
                    southeast:
                      vars: {ansible_user: from-southeast}
                      children:
                        atlanta:
                          hosts:
                            host1:
                            host2: {ansible_user: from-host}
            zeta:
              hosts: {host1: , host3: }
              vars: {ansible_user: from-zeta}
            """;

    @Test
    void theDeepestDefinitionWinsInEitherFormat() throws Exception {
        String[] expected = {
            "host1 from-southeast@host1:2000", "host2 from-host@host2:2000", "host3 from-zeta@host3:1000"
        };

        assertThat(connections(parse("hosts.ini", INI))).containsExactly(expected);
        assertThat(connections(parse("hosts.yml", YAML))).containsExactly(expected);
    }

    @Test
    void groupsAsDeepAsEachOtherGoByPriorityThenName() throws Exception {
        String inventory = """
                [alpha]
                host1
                [beta]
                host1
                [alpha:vars]
                ansible_user=from-alpha
                [beta:vars]
                ansible_user=from-beta
                """;

        assertThat(parse("hosts", inventory).getFirst().user()).isEqualTo("from-beta");
        assertThat(parse("hosts", inventory + "[alpha:vars]\nansible_group_priority=10\n")
                        .getFirst()
                        .user())
                .isEqualTo("from-alpha");
    }
}
