package io.lazarus.coordinator.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The set-up as {@code rabbitmqctl} commands: argument lists to run, and shell lines to print. Printed lines name the
 * passwords as environment variables unless the passwords are to be shown.
 */
public final class RabbitmqctlLines {

    private RabbitmqctlLines() {}

    /** The tags, permissions and topic permission of one user that exists; {@code --} ends the options. */
    public static List<List<String>> grants(String vhost, BrokerUser user) {
        List<List<String>> commands = new ArrayList<>();
        List<String> tags = new ArrayList<>(List.of("set_user_tags", "--", user.name()));
        tags.addAll(user.grant().tags());
        commands.add(tags);
        Permissions p = user.grant().permissions();
        commands.add(List.of("set_permissions", "-p", vhost, "--", user.name(), p.configure(), p.write(), p.read()));
        commands.add(List.of("clear_topic_permissions", "-p", vhost, "--", user.name()));
        user.grant()
                .topic()
                .ifPresent(t -> commands.add(List.of(
                        "set_topic_permissions", "-p", vhost, "--", user.name(), t.exchange(), t.write(), t.read())));
        return commands;
    }

    public static List<String> addUser(BrokerUser user) {
        return List.of("add_user", "--", user.name(), user.password());
    }

    public static List<String> changePassword(BrokerUser user) {
        return List.of("change_password", "--", user.name(), user.password());
    }

    /** A script for the broker's host: creates or updates every user, then grants. */
    public static String script(BrokerUsers users, boolean showPasswords) {
        StringBuilder out = new StringBuilder();
        out.append(
                "# lazarus broker setup --print rabbitmqctl: run on the broker's host, as a user rabbitmqctl works for\n");
        if (!showPasswords) {
            out.append("# set the passwords first, e.g. ");
            out.append(variable(users.users().getFirst()))
                    .append("=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')\n");
        }
        for (BrokerUser user : users.users()) {
            String password = showPasswords ? shell(user.password()) : "\"${" + variable(user) + ":?}\"";
            out.append("rabbitmqctl add_user -- ")
                    .append(shell(user.name()))
                    .append(' ')
                    .append(password)
                    .append(" 2>/dev/null || rabbitmqctl change_password -- ")
                    .append(shell(user.name()))
                    .append(' ')
                    .append(password)
                    .append('\n');
            for (List<String> command : grants(users.vhost(), user)) {
                out.append("rabbitmqctl");
                command.forEach(arg -> out.append(' ').append(shell(arg)));
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** {@code LAZARUS_WORKER_PASSWORD}. */
    public static String variable(BrokerUser user) {
        return "LAZARUS_" + user.role().name().toUpperCase(Locale.ROOT) + "_PASSWORD";
    }

    private static String shell(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
