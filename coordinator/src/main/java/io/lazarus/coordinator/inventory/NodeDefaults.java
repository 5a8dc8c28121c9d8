package io.lazarus.coordinator.inventory;

/** The user and port of nodes whose inventory entry names none ({@code --user}, {@code --port}). */
public record NodeDefaults(String user, int port) {

    public static final String USER_RULE =
            "letters, digits, '_', '.', '-', '@'; at most 32; starting with a letter or '_'";

    /** Whether {@code user} is a user name an inventory may give a node. */
    public static boolean isUser(String user) {
        return user != null && NodeSyntax.isUser(user);
    }
}
