package io.lazarus.coordinator.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ec2InventoryTest {

    @Test
    void writesOneNodeALineWithItsFactsInKeyOrder() {
        String text = Ec2Inventory.render(
                List.of("lazarus ec2 provision: run r-1"),
                List.of(
                        new Ec2Inventory.Line(
                                "ec2-user",
                                "10.0.0.4",
                                22,
                                "i-0abc",
                                Map.of(
                                        "instance_type",
                                        "t3.micro",
                                        "instance_id",
                                        "i-0abc",
                                        "availability_zone",
                                        "us-east-1a")),
                        new Ec2Inventory.Line(null, "54.0.0.5", 2222, "i-0def", Map.of("instance_id", "i-0def"))));

        assertThat(text).isEqualTo("""
                # lazarus ec2 provision: run r-1
                ec2-user@10.0.0.4 name=i-0abc fact.availability_zone=us-east-1a fact.instance_id=i-0abc fact.instance_type=t3.micro
                54.0.0.5:2222 name=i-0def fact.instance_id=i-0def
                """);
    }

    @Test
    void aValueIsOneTokenAndAnEmptyOneIsLeftOut() {
        String line = Ec2Inventory.line(new Ec2Inventory.Line(
                "root", "10.0.0.4", 22, "i-0abc", Map.of("name", "web server\t1", "public_ip", "")));

        assertThat(line).isEqualTo("root@10.0.0.4 name=i-0abc fact.name=web_server_1");
    }

    @Test
    void instancesBecomeLinesThroughTheirFacts() {
        Ec2Instance instance = new Ec2Instance(
                "i-0abc",
                "t3.micro",
                "us-east-1b",
                "10.0.0.4",
                null,
                "ami-0123",
                "web-1",
                "running",
                Map.of("Name", "web-1", "lazarus:run", "r-1"));

        List<Ec2Inventory.Line> lines =
                Ec2Nodes.of(List.of(instance), AddressKind.PRIVATE, null, 22).lines();

        assertThat(Ec2Inventory.line(lines.getFirst()))
                .isEqualTo("10.0.0.4 name=i-0abc fact.ami=ami-0123"
                        + " fact.availability_zone=us-east-1b fact.instance_id=i-0abc fact.instance_type=t3.micro"
                        + " fact.lazarus_run=r-1 fact.name=web-1 fact.private_ip=10.0.0.4");
    }
}
