package io.lazarus.coordinator.logs;

/**
 * A script's output shown on a terminal: its control characters written as {@code \\xNN} (line ends and tabs kept), so
 * that an escape sequence it printed cannot move the cursor, retitle the window or hide lines.
 */
public final class TerminalText {

    private TerminalText() {}

    public static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineEnd = c == '\n' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
            boolean control = !lineEnd && c != '\t' && (Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (control) {
                    out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
