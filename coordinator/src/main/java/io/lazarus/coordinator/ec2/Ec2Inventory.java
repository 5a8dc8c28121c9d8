package io.lazarus.coordinator.ec2;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes instances as a plain inventory, one node a line: {@code [user@]host[:port] name=ID fact.KEY=VALUE...}. The
 * registry keeps this text for a run discovered in EC2, and {@code lazarus ec2 provision --out} writes it.
 */
public final class Ec2Inventory {

    public static final int DEFAULT_PORT = 22;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private Ec2Inventory() {}

    /** One node of the inventory; {@code user} may be null, for the run's {@code --user} to decide. */
    public record Line(String user, String host, int port, String id, Map<String, String> facts) {}

    /** The inventory, under comment lines (each is written after a {@code #}). */
    public static String render(List<String> comments, List<Line> lines) {
        StringBuilder text = new StringBuilder();
        comments.forEach(c -> text.append("# ").append(c).append('\n'));
        lines.forEach(l -> text.append(line(l)).append('\n'));
        return text.toString();
    }

    static String line(Line line) {
        StringBuilder text = new StringBuilder();
        if (line.user() != null) {
            text.append(line.user()).append('@');
        }
        text.append(line.host().contains(":") ? "[" + line.host() + "]" : line.host());
        if (line.port() != DEFAULT_PORT) {
            text.append(':').append(line.port());
        }
        text.append(" name=").append(line.id());
        new TreeMap<>(line.facts()).forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("fact key '" + key + "' is not " + KEY.pattern());
            }
            if (!value.isEmpty()) {
                // a value is one token: a tag's spaces become underscores
                text.append(" fact.")
                        .append(key)
                        .append('=')
                        .append(WHITESPACE.matcher(value).replaceAll("_"));
            }
        });
        return text.toString();
    }
}
