package io.lazarus.worker.ssh;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands a command its environment (the run's variables, the node's facts and connection data, its secrets) as
 * environment variables without putting a value on the node's command line (which
 * {@code ps} shows to every user) or in the SSH protocol's environment requests (which need the server's
 * {@code AcceptEnv}). The command line only carries a short POSIX shell prelude; the values follow on the command's
 * stdin as shell-quoted {@code export} lines up to an end marker, and the prelude evaluates them in the shell that
 * then runs the command. On a pseudo-terminal the channel asks for echo off, so the terminal does not print them back.
 */
final class ScriptEnvironment {

    /** RFC 4254 terminal modes: ECHO (53) = 0, then TTY_OP_END. */
    static final byte[] NO_ECHO = {53, 0, 0, 0, 0, 0};
    /** A terminal keeps at most 4095 bytes of a line; a long value is split in lines the shell joins again. */
    private static final int CHUNK_CHARS = 512;

    private static final ScriptEnvironment EMPTY = new ScriptEnvironment(new byte[0], null);

    private final byte[] input;
    private final String endMarker;

    private ScriptEnvironment(byte[] input, String endMarker) {
        this.input = input;
        this.endMarker = endMarker;
    }

    static ScriptEnvironment of(Map<String, String> values) {
        if (values.isEmpty()) {
            return EMPTY;
        }
        String marker = "LAZARUS_ENV_END_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        StringBuilder lines = new StringBuilder();
        values.forEach((name, value) -> lines.append("export ")
                .append(name)
                .append('=')
                .append(quoted(value))
                .append('\n'));
        lines.append(marker).append('\n');
        return new ScriptEnvironment(lines.toString().getBytes(StandardCharsets.UTF_8), marker);
    }

    boolean isEmpty() {
        return endMarker == null;
    }

    /** The command as the node's login shell runs it: first the prelude that reads the exports, if there are any. */
    String command(String command) {
        if (isEmpty()) {
            return command;
        }
        return "__lz_env=; while IFS= read -r __lz_line && [ \"$__lz_line\" != " + endMarker + " ]; do"
                + " __lz_env=\"$__lz_env$__lz_line\n\"; done;"
                + " if [ \"$__lz_line\" != " + endMarker
                + " ]; then echo 'lazarus: the environment did not arrive on stdin' >&2;"
                + " exit 97; fi; eval \"$__lz_env\"; unset __lz_env __lz_line\n" + command;
    }

    /** The command's stdin: the exports, then what it would read without them. */
    InputStream input(boolean pty) {
        InputStream after = EndOfInput.forChannel(pty);
        return isEmpty() ? after : new SequenceInputStream(new ByteArrayInputStream(input), after);
    }

    /**
     * Single-quoted for a POSIX shell, in pieces of at most {@link #CHUNK_CHARS} joined by a backslash-newline, which
     * the shell drops between words: {@code 'abc'\<newline>'def'} is {@code abcdef}.
     */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder();
        int start = 0;
        do {
            int end = Math.min(value.length(), start + CHUNK_CHARS);
            if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
                end--;
            }
            if (start > 0) {
                out.append("\\\n");
            }
            out.append('\'')
                    .append(value.substring(start, end).replace("'", "'\\''"))
                    .append('\'');
            start = end;
        } while (start < value.length());
        return out.toString();
    }
}
