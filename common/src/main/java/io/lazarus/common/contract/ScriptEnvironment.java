package io.lazarus.common.contract;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
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
 *
 * <p>The command's stdin is at its end, so that a command that asks a question fails at once instead of stalling.
 * Without a pseudo-terminal the channel's EOF closes it. A terminal has no half-close, so on one the command line first
 * sets the terminal's reads to end at once with nothing to read ({@code stty -icanon min 0 time 0}): every read of
 * stdin or of {@code /dev/tty} then finds its end, and no thread of the worker types anything while the command runs.
 */
public final class ScriptEnvironment {

    /** RFC 4254 terminal modes: ECHO (53) = 0, then TTY_OP_END. */
    private static final byte[] NO_ECHO = {53, 0, 0, 0, 0, 0};
    /** A terminal keeps at most 4095 bytes of a line; a long value is split in lines the shell joins again. */
    private static final int CHUNK_CHARS = 512;

    /** Non-canonical input, at most 0 bytes and no wait: a read with nothing to read returns 0, end of file. */
    public static final String READS_END_AT_ONCE = "stty -icanon min 0 time 0 2>/dev/null";

    private static final ScriptEnvironment EMPTY = new ScriptEnvironment(new byte[0], null);

    private final byte[] input;
    private final String endMarker;

    private ScriptEnvironment(byte[] input, String endMarker) {
        this.input = input;
        this.endMarker = endMarker;
    }

    public static ScriptEnvironment of(Map<String, String> values) {
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

    /** The terminal modes a pseudo-terminal is asked for when there is an environment: no echo (RFC 4254). */
    public static byte[] noEcho() {
        return NO_ECHO.clone();
    }

    public boolean isEmpty() {
        return endMarker == null;
    }

    /**
     * The command as the node's login shell runs it: first the prelude that reads the exports, if there are any, then,
     * on a pseudo-terminal, reads that end at once (after the exports, which are read a line at a time).
     */
    public String command(String command, boolean pty) {
        String terminal = pty ? READS_END_AT_ONCE + "; " : "";
        if (isEmpty()) {
            return terminal + command;
        }
        return "__lz_env=; while IFS= read -r __lz_line && [ \"$__lz_line\" != " + endMarker + " ]; do"
                + " __lz_env=\"$__lz_env$__lz_line\n\"; done;"
                + " if [ \"$__lz_line\" != " + endMarker
                + " ]; then echo 'lazarus: the environment did not arrive on stdin' >&2;"
                + " exit 97; fi; eval \"$__lz_env\"; " + terminal + "unset __lz_env __lz_line\n" + command;
    }

    /** The command's stdin: the exports, if any, then its end. */
    public InputStream input() {
        return new ByteArrayInputStream(input);
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
