package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's host patterns: {@code name}, {@code name:port}, {@code [ipv6]:port}, and ranges such as
 * {@code web[01:20].example.com} (zero-padded), {@code db-[a:f]} and {@code node[1:10:2]} (stride), several ranges
 * expanding as nested loops, the first outermost.
 */
final class HostRanges {

    static final int MAX_HOSTS = 100_000;

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Pattern BRACKETED = Pattern.compile("\\[([^]]*)](?::(.*))?");

    /** The host names a pattern stands for, and the port it names, if any. */
    record Expansion(List<String> names, Integer port) {}

    private HostRanges() {}

    static Expansion expand(String pattern) {
        Matcher bracketed = BRACKETED.matcher(pattern);
        if (bracketed.matches() && NodeSyntax.isIpv6Address(bracketed.group(1))) {
            return new Expansion(
                    List.of(bracketed.group(1)), bracketed.group(2) == null ? null : port(bracketed.group(2), pattern));
        }
        if (NodeSyntax.isIpv6Address(pattern)) {
            return new Expansion(List.of(pattern), null);
        }
        int colon = -1;
        int depth = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (depth < 0 || depth > 1) {
                throw new IllegalArgumentException("unbalanced brackets in '" + pattern + "'");
            }
            if (c == ':' && depth == 0) {
                if (colon >= 0) {
                    throw new IllegalArgumentException(
                            "cannot read '" + pattern + "' as a host, host:port or host range");
                }
                colon = i;
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced brackets in '" + pattern + "'");
        }
        String names = colon < 0 ? pattern : pattern.substring(0, colon);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("missing host in '" + pattern + "'");
        }
        List<String> expanded = new ArrayList<>();
        expandInto(names, pattern, expanded);
        return new Expansion(List.copyOf(expanded), colon < 0 ? null : port(pattern.substring(colon + 1), pattern));
    }

    private static int port(String text, String pattern) {
        try {
            return NodeSyntax.port(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in '" + pattern + "'");
        }
    }

    private static void expandInto(String names, String pattern, List<String> out) {
        int open = names.indexOf('[');
        if (open < 0) {
            if (out.size() == MAX_HOSTS) {
                throw new IllegalArgumentException("'" + pattern + "' names more than " + MAX_HOSTS + " hosts");
            }
            out.add(names);
            return;
        }
        int close = names.indexOf(']', open);
        for (String value : values(names.substring(open + 1, close), pattern)) {
            expandInto(names.substring(0, open) + value + names.substring(close + 1), pattern, out);
        }
    }

    private static List<String> values(String range, String pattern) {
        String[] bounds = range.split(":", -1);
        String where = "range [" + range + "] in '" + pattern + "'";
        if (bounds.length < 2 || bounds.length > 3) {
            throw new IllegalArgumentException(where + " is not [begin:end] or [begin:end:step]");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new IllegalArgumentException(where + " has no end");
        }
        if (bounds.length == 3 && (!isNumber(bounds[2]) || Integer.parseInt(bounds[2]) == 0)) {
            throw new IllegalArgumentException(where + ": the step must be a positive number");
        }
        int step = bounds.length == 3 ? Integer.parseInt(bounds[2]) : 1;
        int from;
        int to;
        int width = 0;
        boolean letters = begin.length() == 1 && end.length() == 1 && LETTERS.contains(begin) && LETTERS.contains(end);
        if (letters) {
            from = LETTERS.indexOf(begin);
            to = LETTERS.indexOf(end);
        } else if (isNumber(begin) && isNumber(end)) {
            width = begin.length() > 1 && begin.startsWith("0") ? begin.length() : 0;
            if (width > 0 && end.length() != width) {
                throw new IllegalArgumentException(
                        where + ": a zero-padded range needs begin and end of the same width");
            }
            from = Integer.parseInt(begin);
            to = Integer.parseInt(end);
        } else {
            throw new IllegalArgumentException(where + " must run between two numbers or two letters");
        }
        if (from > to) {
            throw new IllegalArgumentException(where + " ends before it begins");
        }
        if ((to - from) / step >= MAX_HOSTS) {
            throw new IllegalArgumentException(where + " names more than " + MAX_HOSTS + " hosts");
        }
        List<String> values = new ArrayList<>();
        for (int i = from; i <= to; i += step) {
            values.add(
                    letters
                            ? String.valueOf(LETTERS.charAt(i))
                            : width > 0 ? String.format("%0" + width + "d", i) : String.valueOf(i));
        }
        return values;
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
