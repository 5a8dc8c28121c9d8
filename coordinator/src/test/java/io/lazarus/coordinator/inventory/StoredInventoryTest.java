package io.lazarus.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The inventory as a run's record keeps it: the nodes Lazarus used, the names of what it left out, no value of it. */
class StoredInventoryTest {

    private static final NodeDefaults DEFAULTS = new NodeDefaults("root", 22);

    @Test
    void anAnsibleIniInventoryIsStoredWithoutItsPlaybookVariablesAndNamesThem() throws Exception {
        String ini = """
                [web]
                web1 ansible_host=10.0.0.1 ansible_user=deploy http_port=8080
                web2 ansible_host=10.0.0.2 ansible_port=2222

                [web:vars]
                db_password=hunter2
                ansible_python_interpreter=/usr/bin/python3
                """;

        Inventories.Selected selected = Inventories.select("hosts.ini", ini, DEFAULTS, null);

        assertThat(selected.droppedVariables())
                .containsExactlyInAnyOrder("ansible_python_interpreter", "db_password", "http_port");
        assertThat(selected.stored()).isEqualTo("""
                # stored by Lazarus: the nodes as the run used them (user@host:port, name, facts)
                # variables not stored: ansible_python_interpreter, db_password, http_port
                deploy@10.0.0.1:22 name=web1
                root@10.0.0.2:2222 name=web2
                """);
        assertReadsBackTheSame(selected);
    }

    @Test
    void anAnsibleYamlInventoryIsStoredWithoutItsPlaybookVariables() throws Exception {
        String yaml = """
                all:
                  vars:
                    db_password: hunter2
                  children:
                    app:
                      hosts:
                        app1:
                          ansible_host: 10.0.0.9
                          api_key: abc123
                """;

        Inventories.Selected selected = Inventories.select("hosts.yml", yaml, DEFAULTS, null);

        assertThat(selected.stored())
                .doesNotContain("hunter2", "abc123")
                .contains("# variables not stored: api_key, db_password", "root@10.0.0.9:22 name=app1");
        assertReadsBackTheSame(selected);
    }

    @Test
    void aPlainInventoryKeepsItsNodesAndFactsButNotItsComments() throws Exception {
        String plain = """
                # ops: the db password is hunter2
                deploy@10.0.0.5:22 name=db1 fact.zone=eu-west-1a
                10.0.0.6
                """;

        Inventories.Selected selected = Inventories.select("hosts", plain, DEFAULTS, null);

        assertThat(selected.stored())
                .doesNotContain("hunter2", "variables not stored")
                .contains("deploy@10.0.0.5:22 name=db1 fact.zone=eu-west-1a");
        assertReadsBackTheSame(selected);
    }

    @Test
    void onlyTheLimitedNodesAreStored() throws Exception {
        String ini = "[web]\nweb1 ansible_host=10.0.0.1\n[db]\ndb1 ansible_host=10.0.0.2\n";

        assertThat(Inventories.select("hosts.ini", ini, DEFAULTS, "web").stored())
                .contains("web1")
                .doesNotContain("db1");
    }

    private static void assertReadsBackTheSame(Inventories.Selected selected) throws Exception {
        List<InventoryNode> read =
                Inventories.parse("stored", selected.stored(), new NodeDefaults("nobody", 2200), null);
        assertThat(read)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(selected.nodes());
    }
}
