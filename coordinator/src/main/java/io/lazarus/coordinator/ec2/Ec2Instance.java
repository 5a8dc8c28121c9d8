package io.lazarus.coordinator.ec2;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/** What Lazarus reads of an instance: how to reach it and the facts that travel with it as a node. */
public record Ec2Instance(
        String id,
        String type,
        String zone,
        String privateIp,
        String publicIp,
        String ami,
        String name,
        String state,
        Map<String, String> tags) {

    public static final String RUN_TAG = "lazarus:run";

    public Ec2Instance {
        tags = Map.copyOf(tags);
    }

    static Ec2Instance of(Instance instance) {
        Map<String, String> tags = new TreeMap<>();
        for (Tag tag : instance.tags()) {
            tags.put(tag.key(), tag.value() == null ? "" : tag.value());
        }
        return new Ec2Instance(
                instance.instanceId(),
                instance.instanceTypeAsString(),
                instance.placement() != null ? instance.placement().availabilityZone() : null,
                instance.privateIpAddress(),
                instance.publicIpAddress(),
                instance.imageId(),
                tags.get("Name"),
                instance.state() != null ? instance.state().nameAsString() : null,
                tags);
    }

    /** The address of the kind asked for; null when the instance has none. */
    public String address(AddressKind kind) {
        return kind == AddressKind.PUBLIC ? publicIp : privateIp;
    }

    /** Node facts: they go into each install message and come back in the report. */
    public Map<String, String> facts() {
        Map<String, String> facts = new TreeMap<>();
        facts.put("instance_id", id);
        put(facts, "instance_type", type);
        put(facts, "availability_zone", zone);
        put(facts, "private_ip", privateIp);
        put(facts, "public_ip", publicIp);
        put(facts, "ami", ami);
        put(facts, "name", name);
        put(facts, "lazarus_run", tags.get(RUN_TAG));
        return facts;
    }

    /** {@code i-0abc (running, t3.micro, us-east-1a)}, as listed to people. */
    public String describe() {
        List<String> details =
                Stream.of(state, type, zone, name).filter(Objects::nonNull).toList();
        return id + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    private static void put(Map<String, String> facts, String key, String value) {
        if (value != null && !value.isEmpty()) {
            facts.put(key, value);
        }
    }
}
