package io.lazarus.worker.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Replaces what must not leave the worker with {@value #MASK}: the values of the secrets a run used, then whatever the
 * configured patterns match. Applied to output tails and reasons before they go into an event or a log line.
 */
public final class Masker {

    public static final String MASK = "****";
    /** A tail that starts inside a secret keeps its end: masked when at least this much of the value is left. */
    private static final int MIN_CUT_SUFFIX = 3;

    private final List<MaskPattern> patterns;
    private final List<String> values;

    private Masker(List<MaskPattern> patterns, List<String> values) {
        this.patterns = patterns;
        this.values = values;
    }

    /** Throws naming the first pattern that does not compile: a worker that cannot mask does not start. */
    public static Masker of(MaskingProperties properties) {
        return of(properties, MaskingProperties.CLUES);
    }

    /** @param clues for a pattern, words of which a text it matches holds one (lower case); none: always run it */
    static Masker of(MaskingProperties properties, Map<String, List<String>> clues) {
        List<MaskPattern> compiled = new ArrayList<>();
        for (String pattern : properties.maskPatterns()) {
            try {
                compiled.add(new MaskPattern(Pattern.compile(pattern), clues.getOrDefault(pattern, List.of())));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("lazarus.worker.mask-patterns: '" + pattern
                        + "' is not a regular expression: " + e.getDescription());
            }
        }
        return new Masker(List.copyOf(compiled), List.of());
    }

    /** The same patterns, and these values too; longest first, so a value containing another is masked whole. */
    public Masker with(Collection<String> secretValues) {
        List<String> all = new ArrayList<>(values);
        secretValues.stream().filter(v -> !v.isEmpty()).forEach(all::add);
        all.sort(Comparator.comparingInt(String::length).reversed());
        return new Masker(patterns, List.copyOf(all));
    }

    public String mask(String text) {
        return mask(text, false);
    }

    /**
     * @param cutAtStart the text is the end of a longer output: it may begin with the end of a secret, which is masked
     *                   too
     */
    public String mask(String text, boolean cutAtStart) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String value : values) {
            masked = masked.replace(value, MASK);
            // a terminal turns the value's line ends into CR LF; tails read them back as LF, reasons may not
            if (value.contains("\n")) {
                masked = masked.replace(value.replace("\n", "\r\n"), MASK);
            }
        }
        if (cutAtStart) {
            masked = maskCutValue(masked);
        }
        String lowerCase = null;
        for (MaskPattern pattern : patterns) {
            if (!pattern.clues().isEmpty()) {
                if (lowerCase == null) {
                    lowerCase = masked.toLowerCase(Locale.ROOT);
                }
                if (!pattern.mayMatch(lowerCase)) {
                    continue;
                }
            }
            masked = maskMatches(pattern.pattern(), masked);
            lowerCase = null; // the text may have changed
        }
        return masked;
    }

    /**
     * Characters a piece of output must hold back at its end so that no secret value is split between two pieces:
     * one less than the longest value (as a terminal prints it).
     */
    public int holdBack() {
        return values.stream().mapToInt(v -> terminalForm(v).length() - 1).max().orElse(0);
    }

    /**
     * The first place at or after {@code cut} that is inside no secret value of {@code text}: a piece cut there can be
     * masked alone. Needs the text to go on at least {@link #holdBack()} characters after {@code cut}.
     */
    public int safeCut(String text, int cut) {
        int safe = cut;
        for (boolean moved = true; moved; ) {
            moved = false;
            for (String value : values) {
                for (String form : List.of(value, terminalForm(value))) {
                    int from = Math.max(0, safe - form.length() + 1);
                    for (int at = text.indexOf(form, from); at >= 0 && at < safe; at = text.indexOf(form, at + 1)) {
                        if (at + form.length() > safe) {
                            safe = at + form.length();
                            moved = true;
                        }
                    }
                }
            }
        }
        return safe;
    }

    private static String terminalForm(String value) {
        return value.replace("\n", "\r\n");
    }

    private String maskCutValue(String text) {
        for (String value : values) {
            for (int start = 1; value.length() - start >= MIN_CUT_SUFFIX; start++) {
                if (text.startsWith(value.substring(start))) {
                    return MASK + text.substring(value.length() - start);
                }
            }
        }
        return text;
    }

    private static String maskMatches(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        boolean grouped = pattern.namedGroups().containsKey("secret");
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (matcher.find()) {
            int start = grouped ? matcher.start("secret") : matcher.start();
            int end = grouped ? matcher.end("secret") : matcher.end();
            if (start < 0 || end <= start) {
                continue;
            }
            out.append(text, copied, start).append(MASK);
            copied = end;
        }
        if (copied == 0) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    private record MaskPattern(Pattern pattern, List<String> clues) {

        boolean mayMatch(String lowerCase) {
            for (String clue : clues) {
                if (lowerCase.contains(clue)) {
                    return true;
                }
            }
            return false;
        }
    }
}
