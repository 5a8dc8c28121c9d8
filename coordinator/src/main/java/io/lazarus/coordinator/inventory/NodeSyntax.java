package io.lazarus.coordinator.inventory;

import java.util.regex.Pattern;

/** What a user, a host, a port, a node id and a fact may be, whatever the inventory's format. */
final class NodeSyntax {

    static final String NAME_RULE = "letters, digits, '.', '_', '-'; at most 128; starting with a letter or digit";
    static final int MAX_FACT_VALUE = 256;

    /** A login name; {@code @} for directory users such as {@code jdoe@corp.example.com}. */
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@-]{0,31}");
    /** RFC 1123 names, and {@code _} as resolvers take it (/etc/hosts, DNS records such as {@code db_1.internal}). */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern FACT_KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private NodeSyntax() {}

    static boolean isUser(String user) {
        return USER.matcher(user).matches();
    }

    static boolean isHostName(String host) {
        return HOSTNAME.matcher(host).matches();
    }

    static boolean isIpv6(String host) {
        return host.contains(":") && IPV6.matcher(host).matches();
    }

    /** Unbracketed: {@code ::} or at least six colons, so that {@code a:c} (a range, a group list) is not taken for one. */
    static boolean isIpv6Address(String text) {
        return isIpv6(text)
                && (text.contains("::") || text.chars().filter(c -> c == ':').count() >= 6);
    }

    static boolean isHost(String host) {
        return isHostName(host) || isIpv6(host);
    }

    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The port, or an exception whose message says what is wrong with {@code text}. */
    static int port(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 5) {
            throw new IllegalArgumentException("port '" + text + "' is not a number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        return port;
    }

    static void checkFact(String key, String value) {
        if (!FACT_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid fact key '" + key
                    + "' (a-z, 0-9, '_', '.', '-'; at most 64; starting with a letter or digit)");
        }
        if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("fact '" + key + "' needs a value without white space");
        }
        if (value.length() > MAX_FACT_VALUE) {
            throw new IllegalArgumentException("fact '" + key + "' is longer than " + MAX_FACT_VALUE + " characters");
        }
    }
}
