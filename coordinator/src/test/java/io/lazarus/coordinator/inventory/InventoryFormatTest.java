package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.DEFAULTS;
import static io.lazarus.coordinator.inventory.InventoryFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            a mapping key                 | all:\\n  hosts:\\n    web1:                    | YAML
            a comment first               | # fleet\\n\\nwebservers:  # web\\n  hosts: web1  | YAML
            a document start              | ---\\nall:                                     | YAML
            a quoted key                  | "all":\\n  hosts: {web1: }                    | YAML
            a key with a value            | plugin: aws_ec2                              | YAML
            a section                     | web1\\n[web]\\nweb2                           | INI
            a vars section                | [all:vars]\\nansible_user=x                   | INI
            an ansible variable           | web1 ansible_host=10.0.0.1                   | INI
            a malformed section           | [web servers]                                | INI
            a node per line               | web-1\\ndeploy@10.0.0.5:2222 name=web-2       | PLAIN
            IPv6 in brackets              | [2001:db8::1]\\n[::1]:2222                     | PLAIN
            facts                         | web-1 fact.zone=a name=x                     | PLAIN
            host and port, as Ansible     | web-1:2222                                   | INI
            Ansible's guide's badwolf     | mail.example.com\\nbadwolf.example.com:5309     | INI
            one host, two ports           | 10.0.0.5:2201\\n10.0.0.5:2202                  | PLAIN
            a node name                   | 10.0.0.5 name=web-1                          | PLAIN
            nothing                       | # empty                                      | PLAIN
            """)
    void theFormatIsToldByContent(String what, String text, InventoryFormat format) throws Exception {
        assertThat(InventoryFormat.detect(
                        "hosts", text.replace("\\n", "\n").lines().toList()))
                .isEqualTo(format);
    }

    @Test
    void theFileNameDoesNotMatter(@TempDir Path dir) throws Exception {
        Path yamlNamedIni = Files.writeString(dir.resolve("hosts.ini"), "all:\n  hosts:\n    web1:\n");
        Path iniNamedTxt = Files.writeString(dir.resolve("hosts.txt"), "[web]\nweb1\n");

        assertThat(Inventories.read(yamlNamedIni, DEFAULTS, null))
                .extracting(InventoryNode::id)
                .containsExactly("web1");
        assertThat(Inventories.read(iniNamedTxt, DEFAULTS, "web"))
                .extracting(InventoryNode::id)
                .containsExactly("web1");
        assertThatThrownBy(() -> Inventories.read(dir.resolve("nope"), DEFAULTS, null))
                .hasMessage(dir.resolve("nope") + ": no such inventory file");
    }

    @Test
    void contentThatReadsAsTwoFormatsIsRefusedNamingBothLines() throws Exception {
        assertThat(problems("hosts", "all:\n  hosts:\n    web1:\n[web]\n"))
                .containsExactly(
                        "hosts:4: cannot tell the inventory's format: line 1 ('all:') reads as YAML, line 4 ('[web]') as Ansible"
                                + " INI");
        assertThat(problems("hosts", "[web]\ndeploy@web1\n"))
                .containsExactly(
                        "hosts:2: cannot tell the inventory's format: line 1 ('[web]') reads as Ansible INI, line 2"
                                + " ('deploy@web1') as the plain format (user@host, fact.KEY=VALUE); in INI write host"
                                + " ansible_user=USER");
        assertThat(problems("hosts", "web1 fact.zone=a\nweb2 ansible_port=2222\n"))
                .singleElement()
                .asString()
                .startsWith("hosts:2: cannot tell the inventory's format: line 2 ('web2 ansible_port=2222') reads as"
                        + " Ansible INI, line 1 ('web1 fact.zone=a') as the plain format");
        assertThat(InventoryFixtures.parse("hosts", "[web]\nweb1 admin_email=ops@example.com\n"))
                .hasSize(1);
    }

    @Test
    void scriptsVaultsAndJsonAreRefused() {
        assertThat(problems("inventory.py", "#!/usr/bin/env python3\nprint('{}')\n"))
                .containsExactly(
                        "inventory.py:1: a dynamic inventory script is not supported: Lazarus reads static inventories; export"
                                + " one with ansible-inventory -i SCRIPT --list --yaml > hosts.yml");
        assertThat(problems("hosts", "$ANSIBLE_VAULT;1.1;AES256\n6238643\n"))
                .singleElement()
                .asString()
                .startsWith("hosts:1: a vault-encrypted inventory is not supported");
        assertThat(problems("hosts.json", "\n{\"all\": {\"hosts\": [\"web1\"]}}\n"))
                .singleElement()
                .asString()
                .startsWith("hosts.json:2: JSON inventories (a dynamic inventory's output) are not supported");
    }

    @Test
    void thePlainFormatReadsAsItAlwaysDid() throws Exception {
        List<InventoryNode> nodes = InventoryFixtures.parse("hosts", "deploy@10.0.0.5:2222 name=web-02 fact.zone=a\n");

        assertThat(nodes)
                .singleElement()
                .isEqualTo(new InventoryNode(
                        "web-02",
                        "deploy",
                        "10.0.0.5",
                        2222,
                        java.util.Map.of("zone", "a"),
                        new InventoryNode.Source("hosts", 1)));
    }
}
