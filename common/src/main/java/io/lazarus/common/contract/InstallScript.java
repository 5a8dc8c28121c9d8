package io.lazarus.common.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What to run: one or more commands, each executed by the node's login shell in its own SSH exec channel,
 * in order, stopping at the first failure.
 *
 * @param sha256 hex digest of the commands joined by a newline; a worker refuses a script whose digest differs
 */
public record InstallScript(String name, List<String> commands, String sha256) {

    /** A command travels as an SSH exec request; sshd hands it to the shell as one argument, so keep it well below ARG_MAX. */
    public static final int MAX_COMMAND_BYTES = 64 * 1024;

    public InstallScript {
        Contracts.require(name, "script.name");
        Contracts.require(sha256, "script.sha256");
        if (commands == null || commands.isEmpty()) {
            throw new InvalidField("script.commands", "must hold at least one command");
        }
        commands = List.copyOf(commands);
    }

    /** A script whose whole body is one command. */
    public static InstallScript of(String name, String body) {
        return of(name, List.of(body));
    }

    public static InstallScript of(String name, List<String> commands) {
        return new InstallScript(name, commands, digest(commands));
    }

    public boolean digestMatches() {
        return digest(commands).equalsIgnoreCase(sha256);
    }

    public static String digest(List<String> commands) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", commands).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
