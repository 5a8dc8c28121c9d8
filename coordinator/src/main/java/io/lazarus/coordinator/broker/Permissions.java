package io.lazarus.coordinator.broker;

/** RabbitMQ's per-vhost permissions: regular expressions over the names of queues and exchanges. */
public record Permissions(String configure, String write, String read) {

    /** Access to the vhost and to nothing in it. */
    public static final Permissions NONE = new Permissions("^$", "^$", "^$");

    public static final Permissions ALL = new Permissions(".*", ".*", ".*");
}
