package io.lazarus.coordinator.inventory;

/** The user and port of nodes whose inventory entry names none ({@code --user}, {@code --port}). */
public record NodeDefaults(String user, int port) {
}
