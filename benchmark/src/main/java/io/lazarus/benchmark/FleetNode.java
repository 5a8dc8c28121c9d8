package io.lazarus.benchmark;

/**
 * One node of the fleet a benchmark measures, simulated or real.
 *
 * @param hostKey the node's public host key as OpenSSH writes it: {@code type base64}
 */
record FleetNode(String id, String address, int port, String hostKey) {

    /** {@code user@address:port name=id}, as a Lazarus inventory lists it. */
    String inventoryLine(String user) {
        return user + "@" + address + ":" + port + " name=" + id;
    }

    /** The known_hosts line OpenSSH writes for a port other than 22: {@code [address]:port type base64}. */
    String knownHostsLine() {
        return "[" + address + "]:" + port + " " + hostKey;
    }
}
