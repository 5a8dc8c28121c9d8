package io.lazarus.common.trust;

/**
 * A value from a stranger made safe for one log line or one reason: control characters escaped, length capped, so a
 * header cannot forge a line of its own.
 */
public final class Printable {

    private Printable() {}

    public static String of(Object value, int max) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > out.length() && out.length() >= max ? out + "..." : out.toString();
    }
}
