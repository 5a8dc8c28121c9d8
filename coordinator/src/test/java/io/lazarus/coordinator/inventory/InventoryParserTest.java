package io.lazarus.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryParserTest {

    private final InventoryParser parser = new InventoryParser("root", 22);

    @Test
    void readsEveryFormOfNodeLine() throws Exception {
        List<InventoryNode> nodes = parser.parse(
                "hosts",
                List.of(
                        "# the web tier",
                        "",
                        "web-01.example.com",
                        "deploy@10.0.0.5:2222 name=web-02   # trailing comment",
                        "  10.0.0.6:22  ",
                        "ops@[2001:db8::1]:2200 name=v6",
                        "[::1]"));

        assertThat(nodes)
                .extracting(InventoryNode::id, InventoryNode::user, InventoryNode::host, InventoryNode::port)
                .containsExactly(
                        tuple("web-01.example.com", "root", "web-01.example.com", 22),
                        tuple("web-02", "deploy", "10.0.0.5", 2222),
                        tuple("10.0.0.6", "root", "10.0.0.6", 22),
                        tuple("v6", "ops", "2001:db8::1", 2200),
                        tuple("::1", "root", "::1", 22));
        assertThat(nodes.get(1).source().line()).isEqualTo(4);
    }

    @Test
    void aNodeOnAnotherPortIsNamedByHostAndPort() throws Exception {
        assertThat(parser.parse("hosts", List.of("10.0.0.5:2222")).getFirst().id())
                .isEqualTo("10.0.0.5:2222");
    }

    @Test
    void factAttributesBecomeTheNodesFacts() throws Exception {
        InventoryNode node = parser.parse(
                        "hosts",
                        List.of(
                                "10.0.0.5 name=web-01 fact.zone=eu-west-1a fact.instance-type=t3.micro fact.k8s.io_role=a=b"))
                .getFirst();

        assertThat(node.id()).isEqualTo("web-01");
        assertThat(node.facts())
                .containsExactlyInAnyOrderEntriesOf(
                        java.util.Map.of("zone", "eu-west-1a", "instance-type", "t3.micro", "k8s.io_role", "a=b"));
        assertThat(parser.parse("hosts", List.of("10.0.0.5")).getFirst().facts())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "host:abc                    | port 'abc' is not a number in 'host:abc'",
                "host:                       | port '' is not a number in 'host:'",
                "host:0                      | port 0 is out of range 1..65535 in 'host:0'",
                "host:65536                  | port 65536 is out of range 1..65535 in 'host:65536'",
                "host:123456                 | port '123456' is not a number",
                "@host                       | invalid user '' in '@host'",
                "bad user@host               | unexpected 'user@host'",
                "us$er@host                  | invalid user 'us$er' in 'us$er@host'",
                "user@                       | missing host in 'user@'",
                ":22                         | missing host in ':22'",
                "-host                       | invalid host '-host'",
                "host#x                      | invalid host 'host#x'",
                "a..b                        | invalid host 'a..b'",
                "[zz::1]                     | invalid host 'zz::1'",
                "[::1                        | cannot read '[::1' as [user@]host[:port]",
                "host:22:33                  | cannot read 'host:22:33'",
                "host extra                  | unexpected 'extra' (expected name=ID after the address)",
                "host role=web               | unknown attribute 'role' (supported: name)",
                "host name=a name=b          | 'name' given twice",
                "host name=                  | invalid name ''",
                "host name=web/01            | invalid name 'web/01'",
                "host =x                     | unexpected '=x'",
                "host fact.Zone=a            | invalid fact key 'Zone'",
                "host fact.=a                | invalid fact key ''",
                "host fact._x=a              | invalid fact key '_x'",
                "host fact.zone=             | fact 'zone' needs a value without white space",
                "host fact.a=1 fact.a=2      | 'fact.a' given twice",
                "host zone=a                 | unknown attribute 'zone' (supported: name); a fact is written fact.zone=VALUE",
            })
    void everyKindOfBadLineIsNamedWithFileAndLine(String line, String expected) {
        assertThatThrownBy(() -> parser.parse("inventory.txt", List.of("# header", line.strip())))
                .isInstanceOfSatisfying(
                        InventoryException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("inventory.txt:2: ")
                                .contains(expected));
    }

    @Test
    void factKeysAndValuesHaveLimits() throws Exception {
        String longestKey = "k" + "x".repeat(63);
        String longestValue = "v".repeat(256);

        assertThat(parser.parse("inv", List.of("h fact." + longestKey + "=" + longestValue))
                        .getFirst()
                        .facts())
                .containsEntry(longestKey, longestValue);
        assertThatThrownBy(() -> parser.parse("inv", List.of("h fact." + longestKey + "x=v")))
                .hasMessageContaining("invalid fact key");
        assertThatThrownBy(() -> parser.parse("inv", List.of("h fact.k=" + longestValue + "v")))
                .hasMessage("inv:1: fact 'k' is longer than 256 characters");
    }

    @Test
    void everyBadLineIsReportedAtOnce() {
        assertThatThrownBy(() -> parser.parse("inv", List.of("ok-host", "bad:port", "also ok", "x:0")))
                .isInstanceOfSatisfying(
                        InventoryException.class,
                        e -> assertThat(e.problems())
                                .extracting(p -> p.substring(0, p.indexOf(": ")))
                                .containsExactly("inv:2", "inv:3", "inv:4"));
    }

    @Test
    void duplicateNamesAndDuplicateAddressesAreErrors() {
        assertThatThrownBy(() -> parser.parse("inv", List.of("a.example name=web", "b.example name=web")))
                .hasMessage("inv:2: duplicate node 'web' (first at line 1)");
        assertThatThrownBy(() ->
                        parser.parse("inv", List.of("deploy@A.example:2222 name=x", "root@a.example:2222 name=y")))
                .hasMessage("inv:2: duplicate node a.example:2222 (first at line 1)");
        assertThatThrownBy(() -> parser.parse("inv", List.of("10.0.0.1", "10.0.0.1:22")))
                .hasMessage("inv:2: duplicate node '10.0.0.1' (first at line 1)");
    }

    @Test
    void anInventoryWithoutNodesIsAnError() {
        assertThatThrownBy(() -> parser.parse("inv", List.of("# nothing", "   ")))
                .hasMessage("inv: no nodes (every line is blank or a comment)");
    }

    @Test
    void aMissingOrBinaryFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.txt");
        Path binary = Files.write(dir.resolve("bin"), new byte[] {(byte) 0xC3, (byte) 0x28, 10});

        assertThatThrownBy(() -> parser.parse(missing)).hasMessage(missing + ": no such inventory file");
        assertThatThrownBy(() -> parser.parse(binary)).hasMessage(binary + ": not UTF-8 text");
        assertThat(parser.parse(Files.writeString(dir.resolve("ok"), "h1\nh2\n", StandardCharsets.UTF_8)))
                .hasSize(2);
    }
}
