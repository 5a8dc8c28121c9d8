package io.lazarus.coordinator.inventory;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value of an Ansible INI inventory as Ansible's {@code _parse_value} makes it: {@code ast.literal_eval} of the
 * text, rendered back as text, or the text itself when it is not a Python literal. Python 3 integers
 * ({@code 22}, {@code 0x16}, {@code 0o26}, {@code 0b10110}, {@code 2_2}; {@code 022} is not one), quoted strings and
 * {@code True}, {@code False}, {@code None} are evaluated, and a {@code # comment} after one is dropped as Python's
 * tokenizer drops it ({@code 2222 # c} is 2222, {@code deploy # c} stays {@code deploy # c}, as in Ansible). Floats,
 * containers and concatenated strings are left as text: no variable Lazarus uses can hold one.
 */
final class PythonLiteral {

    private static final Pattern INTEGER = Pattern.compile(
            "(?<sign>[-+]?)(?:0[xX](?<hex>(?:_?[0-9a-fA-F])+)|0[oO](?<oct>(?:_?[0-7])+)|0[bB](?<bin>(?:_?[01])+)"
                    + "|(?<dec>[1-9](?:_?[0-9])*|0(?:_?0)*))");
    private static final Pattern STRING =
            Pattern.compile("(?<quote>['\"])(?<body>(?:\\\\.|(?!\\k<quote>)[^\\\\\\n])*)\\k<quote>");
    private static final Pattern CONSTANT = Pattern.compile("True|False|None");
    private static final Pattern AFTER = Pattern.compile("[ \\t]*(?:#.*)?");

    private PythonLiteral() {}

    static String evaluated(String text) {
        String code = text.stripLeading();
        Matcher integer = INTEGER.matcher(code);
        if (integer.lookingAt() && rest(code, integer.end())) {
            return integer(integer);
        }
        Matcher string = STRING.matcher(code);
        if (string.lookingAt() && rest(code, string.end())) {
            return unescaped(string.group("body"));
        }
        Matcher constant = CONSTANT.matcher(code);
        if (constant.lookingAt() && rest(code, constant.end())) {
            return constant.group();
        }
        return text;
    }

    private static boolean rest(String code, int end) {
        return AFTER.matcher(code.substring(end)).matches();
    }

    private static String integer(Matcher integer) {
        int radix = integer.group("hex") != null
                ? 16
                : integer.group("oct") != null ? 8 : integer.group("bin") != null ? 2 : 10;
        String digits = integer.group(radix == 16 ? "hex" : radix == 8 ? "oct" : radix == 2 ? "bin" : "dec");
        BigInteger value = new BigInteger(digits.replace("_", ""), radix);
        return (integer.group("sign").equals("-") ? value.negate() : value).toString();
    }

    /** Python's common escapes; any other backslash stays, as Python keeps an unknown escape. */
    private static String unescaped(String body) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                text.append(c);
                continue;
            }
            char next = body.charAt(++i);
            switch (next) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case '\\', '\'', '"' -> text.append(next);
                default -> text.append('\\').append(next);
            }
        }
        return text.toString();
    }
}
