package io.lazarus.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainInventoryWriterTest {

    private static final InventoryNode.Source NOWHERE = new InventoryNode.Source("discovery", 0);

    @Test
    void writtenNodesReadBackTheSameWhateverTheReadersDefaults() throws Exception {
        List<InventoryNode> nodes = List.of(
                new InventoryNode(
                        "i-0abc123",
                        "ec2-user",
                        "10.0.0.5",
                        22,
                        Map.of("zone", "eu-west-1a", "instance-type", "t3.micro"),
                        NOWHERE),
                new InventoryNode("web-02", "deploy", "web-02.example.com", 2222, Map.of(), NOWHERE),
                new InventoryNode("v6", "root", "2001:db8::7", 22, Map.of("k8s.io_role", "a=b"), NOWHERE));

        String text = PlainInventoryWriter.write(nodes);

        assertThat(text).isEqualTo("""
                ec2-user@10.0.0.5:22 name=i-0abc123 fact.instance-type=t3.micro fact.zone=eu-west-1a
                deploy@web-02.example.com:2222 name=web-02
                root@[2001:db8::7]:22 name=v6 fact.k8s.io_role=a=b
                """);
        assertThat(new InventoryParser("nobody", 2200)
                        .parse("hosts", text.lines().toList()))
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("source")
                .containsExactlyElementsOf(nodes);
    }

    @Test
    void whatAPlainInventoryCannotSayIsRefused() {
        assertThatThrownBy(() -> PlainInventoryWriter.write(
                        List.of(new InventoryNode("web 01", "root", "10.0.0.5", 22, Map.of(), NOWHERE))))
                .hasMessageStartingWith("node id 'web 01' cannot be a name");
        assertThatThrownBy(() -> PlainInventoryWriter.write(
                        List.of(new InventoryNode("web-01", "root", "10.0.0.5", 22, Map.of("Name", "x"), NOWHERE))))
                .hasMessageStartingWith("node web-01: invalid fact key 'Name'");
        assertThatThrownBy(() -> PlainInventoryWriter.write(List.of(
                        new InventoryNode("web-01", "root", "10.0.0.5", 22, Map.of("name", "web server"), NOWHERE))))
                .hasMessage("node web-01: fact 'name' needs a value without white space");
    }
}
