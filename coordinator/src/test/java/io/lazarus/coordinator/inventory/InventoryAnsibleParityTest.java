package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.DEFAULTS;
import static io.lazarus.coordinator.inventory.InventoryFixtures.connections;
import static io.lazarus.coordinator.inventory.InventoryFixtures.ids;
import static io.lazarus.coordinator.inventory.InventoryFixtures.parse;
import static io.lazarus.coordinator.inventory.InventoryFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inventories read as Ansible 2.14 reads them (issue 17, item 6): each expected value is Ansible's documented or
 * coded behaviour, named with its source.
 */
class InventoryAnsibleParityTest {

    /** The inventory guide's first example ("How to build your inventory"), with its non-standard SSH port. */
    @Test
    void aFileWithoutSectionsIsReadAsAnsibleIniAsAnsibleReadsAnyNonYamlFile() throws Exception {
        assertThat(connections(parse("hosts", "mail.example.com\nbadwolf.example.com:5309\n")))
                .containsExactly(
                        "mail.example.com root@mail.example.com:22",
                        "badwolf.example.com root@badwolf.example.com:5309");
    }

    @Test
    void thePlainFormatStaysWhereOnlyItReadsTheFileAsMeant() throws Exception {
        // Ansible would make these one host with the last port; the plain format's several nodes on one machine stay
        assertThat(ids(parse("hosts", "10.0.0.5:2201\n10.0.0.5:2202\n")))
                .containsExactly("10.0.0.5:2201", "10.0.0.5:2202");
        assertThat(connections(parse("hosts", "deploy@10.0.0.6:2222 name=web-02\n[2001:db8::7]\n")))
                .containsExactly("web-02 deploy@10.0.0.6:2222", "2001:db8::7 root@[2001:db8::7]:22");
    }

    private static final String SAME_NAME = """
            [web]
            web1
            web2
            [other]
            web
            """;

    /**
     * lib/ansible/inventory/manager.py, _evaluate_patterns: "avoid resolving a pattern that is a plain host"; data.py
     * warns "Found both group and host with same name". A {@code !} or {@code &} pattern still looks up groups first.
     */
    @Test
    void aLimitNamingBothAHostAndAGroupSelectsTheHostWithAWarning() throws Exception {
        Inventories.Selected selected = Inventories.select("hosts", SAME_NAME, DEFAULTS, "web");

        assertThat(ids(selected.nodes())).containsExactly("web");
        assertThat(selected.warnings())
                .containsExactly("hosts:5: found both group and host with same name: web (a limit naming it selects"
                        + " the host, as in Ansible)");
        assertThat(ids(parse("hosts", SAME_NAME, "all:!web"))).containsExactly("web");
    }

    /**
     * The ssh connection's options list {@code ansible_port} then {@code ansible_ssh_port} (and so for host and user),
     * and Ansible's config manager takes the last one set: the {@code _ssh_} names win at any level.
     */
    @Test
    void sshVariablesBeatTheirNewNamesWhateverTheLevel() throws Exception {
        assertThat(connections(parse("hosts", """
                        [all:vars]
                        ansible_ssh_port=22
                        [web]
                        web1:2222
                        web2 ansible_port=2222
                        web3 ansible_host=10.0.0.3 ansible_ssh_host=10.0.0.33
                        web4 ansible_user=alice
                        [web:vars]
                        ansible_ssh_user=bob
                        """)))
                .containsExactly("web1 bob@web1:22", "web2 bob@web2:22", "web3 bob@10.0.0.33:22", "web4 bob@web4:22");
    }

    /** PyYAML resolves YAML 1.1 integers (resolver.py): {@code 0}-prefixed is octal, {@code 0x} hex, {@code _} ignored, {@code 1:20} base 60. */
    @ParameterizedTest(name = "ansible_port: {0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            022       | 18
            0x16      | 22
            0b10110   | 22
            1_000     | 1000
            +22       | 22
            1:20      | 80
            "022"     | 22
            2222      | 2222
            """)
    void yamlPortsAreYaml11Integers(String yaml, int port) throws Exception {
        // a quoted "022" stays a string, which the ssh plugin's int option reads as int("022") = 22
        assertThat(parse("hosts.yml", "all:\n  hosts:\n    web1:\n      ansible_port: " + yaml + "\n")
                        .getFirst()
                        .port())
                .isEqualTo(port);
    }

    /**
     * Ansible's INI plugin evaluates values with ast.literal_eval (_parse_value); Python 3 refuses {@code 022}, so it
     * stays the string "022", which the ssh plugin's int option reads as 22. In a {@code :vars} section the whole rest
     * of the line is the value, so a comment after a literal is dropped by Python's tokenizer.
     */
    @ParameterizedTest(name = "{0} is port {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            web1 ansible_port=022                      | 22
            web1 ansible_port=0x16                     | 22
            web1 ansible_port=0o26                     | 22
            web1 ansible_port=2_2                      | 22
            web1 ansible_port='2222'                   | 2222
            web1 ansible_port=2222 # ssh on 2222       | 2222
            web1\\n[web:vars]\\nansible_port=2222 # c     | 2222
            web1\\n[web:vars]\\nansible_port="2222"  # c  | 2222
            """)
    void iniValuesArePythonLiterals(String lines, int port) throws Exception {
        assertThat(parse("hosts", "[web]\n" + lines.replace("\\n", "\n") + "\n")
                        .getFirst()
                        .port())
                .isEqualTo(port);
    }

    @Test
    void aVarsValueThatIsNoLiteralKeepsItsCommentAsAnsibleDoes() {
        // literal_eval("deploy # admin") fails, so Ansible would log in as "deploy # admin"
        assertThat(problems("hosts", "[web]\nweb1\n[web:vars]\nansible_user=deploy # admin\n"))
                .containsExactly("hosts:4: ansible_user 'deploy # admin' is not a user name");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "web1 ansible_python_interpreter=\"{{ ansible_playbook_python }}\"",
                "web1 ansible_connection=ansible.builtin.ssh",
                "web1 ansible_connection=ansible.legacy.ssh",
                "web1 ansible_connection=paramiko",
                "web1 ansible_connection=ansible.builtin.paramiko_ssh",
                "web1\n[web:vars]\nplaybook_var=1 # a comment",
                "web1\n[web:vars]\nansible_connection='ssh' # a comment",
            })
    void harmlessEntriesAreAccepted(String lines) throws Exception {
        assertThat(ids(parse("hosts", "[web]\n" + lines + "\n"))).containsExactly("web1");
    }

    @Test
    void directoryUsersAndHostNamesWithUnderscoresAreAccepted() throws Exception {
        List<InventoryNode> nodes = parse("hosts", "[web]\ndb_1.internal ansible_user=jdoe@corp.example.com\n");

        assertThat(connections(nodes)).containsExactly("db_1.internal jdoe@corp.example.com@db_1.internal:22");
        // the run's stored inventory reads back as the same node
        assertThat(connections(parse("stored", StoredInventory.render(nodes, List.of()))))
                .containsExactly("db_1.internal jdoe@corp.example.com@db_1.internal:22");
    }

    @Test
    void aTemplateWhereLazarusNeedsTheValueIsStillRefusedWithItsLine() {
        assertThat(problems("hosts", "[web]\nweb1 ansible_host=\"{{ lookup('env', 'IP') }}\"\n"))
                .containsExactly("hosts:2: ansible_host '{{ lookup('env', 'IP') }}' is a Jinja template, which"
                        + " Lazarus does not evaluate; write the value itself");
    }

    private static final String WITH_LOCAL = """
            [web]
            web1
            [local]
            localhost ansible_connection=local
            [local:vars]
            ansible_become=yes
            """;

    @Test
    void aRefusalOnAHostTheLimitLeavesOutIsAWarning() throws Exception {
        Inventories.Selected selected = Inventories.select("hosts", WITH_LOCAL, DEFAULTS, "web");

        assertThat(ids(selected.nodes())).containsExactly("web1");
        assertThat(selected.warnings())
                .containsExactly(
                        "hosts:4: ansible_connection=local is not supported: Lazarus installs over SSH only (ssh, smart,"
                                + " paramiko) (ignored: the limit leaves out every host it concerns)",
                        "hosts:6: ansible_become is not supported: Lazarus runs the script as the login user and never"
                                + " escalates; use sudo inside the script (ignored: the limit leaves out every host it"
                                + " concerns)");
    }

    @Test
    void aRefusalOnASelectedHostStillRefusesTheRunWithItsLine() {
        assertThatThrownBy(() -> parse("hosts", WITH_LOCAL, "local"))
                .isInstanceOf(InventoryException.class)
                .isNotInstanceOf(LimitException.class)
                .hasMessage("hosts:4: ansible_connection=local is not supported: Lazarus installs over SSH only (ssh,"
                        + " smart, paramiko)\nhosts:6: ansible_become is not supported: Lazarus runs the script as the"
                        + " login user and never escalates; use sudo inside the script");
        assertThat(problems("hosts", WITH_LOCAL)).hasSize(2);
    }
}
