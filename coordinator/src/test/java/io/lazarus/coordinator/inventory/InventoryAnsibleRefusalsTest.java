package io.lazarus.coordinator.inventory;

import static io.lazarus.coordinator.inventory.InventoryFixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What Lazarus cannot do as Ansible would is refused with its file and line, never skipped. */
class InventoryAnsibleRefusalsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            winrm           | web1 ansible_connection=winrm          | ansible_connection=winrm is not supported: Lazarus installs over SSH only (ssh, smart, paramiko)
            local           | web1 ansible_connection=local          | ansible_connection=local is not supported
            password        | web1 ansible_password=hunter2          | ansible_password is refused: Lazarus never takes secrets or keys from the inventory; the workers hold the SSH credential
            ssh pass        | web1 ansible_ssh_pass=hunter2          | ansible_ssh_pass is refused: Lazarus never takes secrets or keys
            become pass     | web1 ansible_become_pass=hunter2       | ansible_become_pass is refused: Lazarus never takes secrets or keys
            private key     | web1 ansible_ssh_private_key_file=~/id | ansible_ssh_private_key_file is refused: Lazarus never takes secrets or keys
            become          | web1 ansible_become=yes                | ansible_become is not supported: Lazarus runs the script as the login user and never escalates
            become user     | web1 ansible_become_user=postgres      | ansible_become_user is not supported
            proxy           | web1 ansible_ssh_common_args=-J        | ansible_ssh_common_args is not supported: Lazarus connects with ansible_host, ansible_port and ansible_user only
            template value  | web1 ansible_host='{{ lookup(x) }}'    | ansible_host '{{ lookup(x) }}' is a Jinja template, which Lazarus does not evaluate
            template host   | '{{ inventory_host }}'                 | host '{{ inventory_host }}' is a Jinja template
            bad port        | web1 ansible_port=ssh                  | ansible_port: port 'ssh' is not a number
            bad user        | web1 ansible_user=a:b                  | ansible_user 'a:b' is not a user name
            bad address     | web1 ansible_host=no_such!             | ansible_host 'no_such!' is not a host name or IP address
            padded range    | web[09:1]                              | range [09:1] in 'web[09:1]': a zero-padded range needs begin and end of the same width
            bad range       | web[1:x]                               | range [1:x] in 'web[1:x]' must run between two numbers or two letters
            empty range     | web[5:1]                               | range [5:1] in 'web[5:1]' ends before it begins
            not a variable  | web1 role                              | expected key=value after the host, got 'role'
            open quote      | web1 ansible_user='deploy              | no closing quotation
            bad id          | web!1 ansible_host=10.0.0.1            | host 'web!1' cannot be a node id
            """)
    void iniHostLines(String what, String line, String problem) {
        assertThat(problems("hosts.ini", "# fleet\n[web]\n" + line + "\n"))
                .singleElement()
                .asString()
                .startsWith("hosts.ini:3: " + problem);
    }

    static Stream<Arguments> wholeInventories() {
        return Stream.of(
                Arguments.of(
                        "vars of an undefined group",
                        "[web]\nweb1\n[db:vars]\nansible_user=x\n",
                        "hosts.ini:3: [db:vars] names group 'db', which no section defines"),
                Arguments.of(
                        "an undefined child",
                        "[web]\nweb1\n[usa:children]\nweb\neast\n",
                        "hosts.ini:5: [usa:children] names group 'east', which no section defines"),
                Arguments.of(
                        "a cycle",
                        "[a:children]\nb\n[b:children]\nc\n[c:children]\na\n[c]\nweb1\n",
                        "hosts.ini:6: children form a cycle: a -> b -> c -> a"),
                Arguments.of(
                        "a group its own child",
                        "[a:children]\na\n[a]\nweb1\n",
                        "hosts.ini:2: children form a cycle: a -> a"),
                Arguments.of(
                        "all as a child",
                        "[web:children]\nall\n[web]\nweb1\n",
                        "hosts.ini:2: 'all' cannot be a child group"),
                Arguments.of(
                        "an unknown section type",
                        "[web]\nweb1\n[web:hostvars]\nx=1\n",
                        "hosts.ini:3: section [web:hostvars] has an unknown type (hosts, children, vars)"),
                Arguments.of(
                        "a section with a space",
                        "[web servers]\nweb1\n",
                        "hosts.ini:1: invalid section '[web servers]'"),
                Arguments.of(
                        "a vars line without =",
                        "[web]\nweb1\n[web:vars]\nansible_user\n",
                        "hosts.ini:4: expected key=value in [web:vars], got 'ansible_user'"),
                Arguments.of(
                        "a template group",
                        "[web:children]\n{{x}}\n[web]\nweb1\n",
                        "hosts.ini:2: group name '{{x}}' is a Jinja template"),
                Arguments.of(
                        "a secret for every host",
                        "[web]\nweb1\n[all:vars]\nansible_ssh_pass=x\n",
                        "hosts.ini:4: ansible_ssh_pass is refused"),
                Arguments.of(
                        "vault",
                        """
                        all:
                          hosts:
                            web1:
                              db_password: !vault |
                                $ANSIBLE_VAULT;1.1;AES256
                                6238
                        """,
                        "hosts.yml:4: an encrypted value (!vault) is not supported: Lazarus cannot decrypt vault"),
                Arguments.of(
                        "plugin",
                        "plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n",
                        "hosts.yml:1: an inventory plugin's configuration (plugin: amazon.aws.aws_ec2) is not supported:"
                                + " Lazarus reads static inventories"),
                Arguments.of(
                        "password",
                        "all:\n  vars:\n    ansible_password: hunter2\n  hosts:\n    web1:\n",
                        "hosts.yml:3: ansible_password is refused"),
                Arguments.of(
                        "key file",
                        "all:\n  hosts:\n    web1:\n      ansible_private_key_file: ~/.ssh/id\n",
                        "hosts.yml:4: ansible_private_key_file is refused"),
                Arguments.of(
                        "connection",
                        "web:\n  hosts:\n    web1:\n      ansible_connection: docker\n",
                        "hosts.yml:4: ansible_connection=docker is not supported"),
                Arguments.of(
                        "template",
                        "all:\n  hosts:\n    web1:\n      ansible_host: \"{{ ip }}\"\n",
                        "hosts.yml:4: ansible_host '{{ ip }}' is a Jinja template"),
                Arguments.of(
                        "cycle",
                        "a:\n  children:\n    b:\n      children:\n        a:\n  hosts:\n    web1:\n",
                        "hosts.yml:5: children form a cycle: a -> b -> a"),
                Arguments.of(
                        "invalid range",
                        "all:\n  hosts:\n    web[1:x]:\n",
                        "hosts.yml:3: range [1:x] in 'web[1:x]' must run between two numbers or two letters"),
                Arguments.of(
                        "hosts as a list",
                        "all:\n  hosts:\n    - web1\n    - web2\n",
                        "hosts.yml:3: the hosts of group 'all' must be a mapping (host: or host: {variables}), not a list"),
                Arguments.of(
                        "a host where a group key goes",
                        "webservers:\n  web1:\n",
                        "hosts.yml:2: unexpected key 'web1' in group 'webservers': a group has hosts, children and vars"),
                Arguments.of(
                        "duplicate host",
                        "all:\n  hosts:\n    web1:\n    web1:\n",
                        "hosts.yml:4: duplicate key 'web1' (first at line 3)"),
                Arguments.of(
                        "merge key",
                        "all:\n  vars:\n    base: &base {ansible_user: a}\n  hosts:\n    web1:\n" + "      <<: *base\n",
                        "hosts.yml:6: merge keys (<<) are not supported; write the entries out"),
                Arguments.of(
                        "a group aliasing its parent",
                        "a: &x\n  hosts: {web1: }\n  children:\n    b: *x\n",
                        "hosts.yml:4: group 'b' repeats a group's definition through a YAML alias; write it out"),
                Arguments.of(
                        "a variable that is a list",
                        "all:\n  hosts:\n    web1:\n      ansible_port: [22]\n",
                        "hosts.yml:4: ansible_port must have a single value"),
                Arguments.of(
                        "host variables as a list",
                        "all:\n  hosts:\n    web1: [a]\n",
                        "hosts.yml:3: host 'web1' must have a mapping of variables or nothing"),
                Arguments.of(
                        "not a mapping", "- web1\n- web2\n", "hosts.yml:1: the top level must be a mapping of groups"),
                Arguments.of("bad YAML", "all:\n  hosts:\n    web1:\n   bad: indent\n", "hosts.yml:4: not YAML: "));
    }

    /** The file is named by the problem expected: {@code hosts.ini:3: ...}. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void wholeInventories(String what, String inventory, String problem) {
        assertThat(problems(problem.substring(0, problem.indexOf(':')), inventory))
                .singleElement()
                .asString()
                .startsWith(problem);
    }
}
