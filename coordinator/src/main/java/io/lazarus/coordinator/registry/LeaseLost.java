package io.lazarus.coordinator.registry;

/** A write under a lease another replica has taken since: refused, and nothing that depends on it may follow. */
public final class LeaseLost extends RuntimeException {

    private final transient Lease lease;

    public LeaseLost(Lease lease) {
        this(lease, null);
    }

    public LeaseLost(Lease lease, Throwable cause) {
        super(
                "replica " + lease.owner() + " lost the lease of run " + lease.runId() + " (epoch " + lease.epoch()
                        + "): another replica follows it now",
                cause);
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }
}
