package io.lazarus.fleet;

import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** One node of a {@link SimulatedFleet}: its own loopback address, host key, behaviour and execution record. */
public final class SimulatedNode {

    private final String id;
    private final String address;
    private final int port;
    private final NodeBehavior behavior;
    private final AtomicReference<KeyPair> hostKey;
    private final List<Execution> executions = new CopyOnWriteArrayList<>();

    SimulatedNode(String id, String address, int port, NodeBehavior behavior, KeyPair hostKey) {
        this.id = id;
        this.address = address;
        this.port = port;
        this.behavior = behavior;
        this.hostKey = new AtomicReference<>(hostKey);
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public NodeBehavior behavior() {
        return behavior;
    }

    public KeyPair hostKey() {
        return hostKey.get();
    }

    /** Simulates a re-imaged node: from now on it presents a different host key. */
    public void changeHostKey() {
        hostKey.set(HostKeys.generate());
    }

    /** Every command this node ran, in order. */
    public List<Execution> executions() {
        return List.copyOf(executions);
    }

    void record(Execution execution) {
        executions.add(execution);
    }

    /** The inventory line for this node: {@code user@address:port name=id}. */
    public String inventoryLine(String user) {
        return user + "@" + address + ":" + port + " name=" + id;
    }
}
