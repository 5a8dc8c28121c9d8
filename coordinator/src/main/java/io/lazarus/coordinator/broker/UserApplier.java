package io.lazarus.coordinator.broker;

/** Creates or updates the users, their tags, permissions and topic permissions on a broker. */
interface UserApplier {

    /** How it reaches the broker, for the summary: "the management API at ...", "rabbitmqctl". */
    String describe();

    void apply(BrokerUsers users);
}
