package io.lazarus.coordinator.broker;

/** One role's user, as the set-up creates it. */
public record BrokerUser(String name, String password, RoleGrant grant) {

    public BrokerRole role() {
        return grant.role();
    }

    @Override
    public String toString() {
        return "BrokerUser[" + name + ", " + grant.role() + "]";
    }
}
