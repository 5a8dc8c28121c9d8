package io.lazarus.coordinator.ec2;

/** Which address of an instance a worker connects to. */
public enum AddressKind {
    /** The VPC address: workers inside the VPC (or peered with it). The default. */
    PRIVATE,
    /** The public IPv4 address: workers outside the VPC. */
    PUBLIC;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
