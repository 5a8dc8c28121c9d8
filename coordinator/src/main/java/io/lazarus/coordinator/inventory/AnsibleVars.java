package io.lazarus.coordinator.inventory;

import java.util.Optional;
import java.util.Set;

/**
 * Which inventory variables Lazarus uses, ignores or refuses. It connects as Ansible's ssh connection would, with the
 * host, port and user the inventory gives; other {@code ansible_*} variables would change how Ansible connects or who
 * runs the commands, which Lazarus cannot honour, so they are refused rather than silently dropped. Variables that do
 * not start with {@code ansible_} are the playbooks' and are ignored.
 */
final class AnsibleVars {

    static final String HOST = "ansible_host";
    static final String PORT = "ansible_port";
    static final String USER = "ansible_user";
    /** Ansible's ssh connection takes these over their new names, whatever the level each is set at. */
    static final String SSH_HOST = "ansible_ssh_host";

    static final String SSH_PORT = "ansible_ssh_port";
    static final String SSH_USER = "ansible_ssh_user";
    static final String PRIORITY = "ansible_group_priority";

    private static final Set<String> FALSE = Set.of("false", "no", "off", "0");
    /** Ansible's names of its ssh and paramiko connections, short and fully qualified. */
    private static final Set<String> SSH_CONNECTIONS = Set.of(
            "ssh",
            "smart",
            "paramiko",
            "paramiko_ssh",
            "ansible.builtin.ssh",
            "ansible.legacy.ssh",
            "ansible.builtin.paramiko_ssh",
            "ansible.legacy.paramiko_ssh");
    /** Variables that change nothing about how Lazarus connects, whatever their value (a template included). */
    private static final Set<String> IGNORED = Set.of("ansible_python_interpreter");

    private AnsibleVars() {}

    static boolean isConnectionVar(String key) {
        return key.startsWith("ansible_");
    }

    /** The name under which Lazarus keeps the variable, or empty when it has no use for it. */
    static Optional<String> accept(String key, String value) {
        if (!isConnectionVar(key) || IGNORED.contains(key)) {
            return Optional.empty();
        }
        rejectTemplate(key, value);
        if (key.contains("pass") || key.contains("private_key")) {
            throw new IllegalArgumentException(
                    key + " is refused: Lazarus never takes secrets or keys from the inventory;"
                            + " the workers hold the SSH credential (LAZARUS_SSH_IDENTITY_FILE)");
        }
        if (key.startsWith("ansible_become")) {
            if (key.equals("ansible_become") && FALSE.contains(value.toLowerCase(java.util.Locale.ROOT))) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(key + " is not supported: Lazarus runs the script as the login user and"
                    + " never escalates; use sudo inside the script");
        }
        switch (key) {
            case HOST, SSH_HOST -> {
                if (!NodeSyntax.isHost(value)) {
                    throw new IllegalArgumentException(key + " '" + value + "' is not a host name or IP address");
                }
            }
            case PORT, SSH_PORT -> {
                try {
                    NodeSyntax.port(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage());
                }
            }
            case USER, SSH_USER -> {
                if (!NodeSyntax.isUser(value)) {
                    throw new IllegalArgumentException(key + " '" + value + "' is not a user name");
                }
            }
            case PRIORITY -> {
                if (!value.matches("-?[0-9]{1,9}")) {
                    throw new IllegalArgumentException(key + " '" + value + "' is not a number");
                }
            }
            case "ansible_connection" -> {
                if (!SSH_CONNECTIONS.contains(value)) {
                    throw new IllegalArgumentException("ansible_connection=" + value + " is not supported: Lazarus"
                            + " installs over SSH only (ssh, smart, paramiko)");
                }
                return Optional.empty();
            }
            default ->
                throw new IllegalArgumentException(
                        key + " is not supported: Lazarus connects with ansible_host,"
                                + " ansible_port and ansible_user only; move it to group_vars/ or host_vars/ if playbooks need it");
        }
        return Optional.of(key);
    }

    /** Lazarus does not evaluate Jinja, so a template where it needs a value cannot be used. */
    static void rejectTemplate(String what, String text) {
        if (text.contains("{{") || text.contains("{%")) {
            throw new IllegalArgumentException(what + " '" + text + "' is a Jinja template, which Lazarus does not"
                    + " evaluate; write the value itself");
        }
    }
}
