package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's host patterns as {@code --limit} takes them: group names, host names, globs ({@code web*}) and
 * {@code ~regex}, separated by {@code ,} or {@code :}; {@code &pattern} intersects and {@code !pattern} excludes. As in
 * Ansible, the plain patterns are united first, then intersected, then excluded, and a limit of only {@code &} and
 * {@code !} patterns starts from {@code all}; a plain pattern that is a host's name selects that host even when a
 * group has the name too, and a group without hosts selects none. Unlike Ansible, a pattern that matches no group or
 * host is an error, not a warning: a mistyped group must not quietly change what a run installs on.
 * <p>
 * {@code ~regex} and globs are matched by RE2/J, in time linear in the name: a pattern such as {@code ~(.*a){10}X}
 * cannot stall the service. The price is RE2's syntax, without backreferences or lookaround.
 */
final class Limit {

    /** The longest limit taken; a longer one is refused before any of it is compiled. */
    static final int MAX_LENGTH = 4096;
    /** The longest {@code ~regex} taken. */
    static final int MAX_REGEX_LENGTH = 256;

    private static final Pattern COLON_SEPARATED = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^]]*])+");
    private static final Pattern UNSUPPORTED = Pattern.compile("\\(\\?(?:=|!|<=|<!|>)");
    private static final Pattern BACKREFERENCE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\(?:[1-9]|k<)");
    private static final Pattern SUBSCRIPT = Pattern.compile(".+\\[(?:-?[0-9]+|[0-9]+[:-][0-9]*)]");

    private final String file;
    private final ParsedInventory inventory;
    private final String where;

    private Limit(String file, ParsedInventory inventory, String limit) {
        this.file = file;
        this.inventory = inventory;
        this.where = "limit '" + limit + "'";
    }

    /** The names of the inventory's hosts the limit selects, in inventory order; all of them without a limit. */
    static Set<String> select(String file, ParsedInventory inventory, String limit) throws LimitException {
        if (limit == null || limit.isBlank()) {
            return inventory.hosts();
        }
        if (limit.length() > MAX_LENGTH) {
            throw new LimitException(
                    "limit is " + limit.length() + " characters long, longer than the " + MAX_LENGTH + " taken");
        }
        return new Limit(file, inventory, limit).select(limit.strip());
    }

    private Set<String> select(String limit) throws LimitException {
        if (limit.startsWith("@")) {
            throw new LimitException(
                    where + ": reading the hosts from a file (@FILE) is not supported; name the groups" + " or hosts");
        }
        List<String> union = new ArrayList<>();
        List<String> intersections = new ArrayList<>();
        List<String> exclusions = new ArrayList<>();
        for (String term : terms(limit)) {
            (term.startsWith("&") ? intersections : term.startsWith("!") ? exclusions : union).add(term);
        }
        if (union.isEmpty() && intersections.isEmpty() && exclusions.isEmpty()) {
            throw new LimitException(where + " names no group or host");
        }
        if (union.isEmpty()) {
            union.add(AnsibleInventory.ALL);
        }
        Set<String> hosts = inventory.hosts();
        Set<String> selected = new LinkedHashSet<>();
        for (String term : union) {
            // as Ansible's _evaluate_patterns: a host's own name is never looked up as a group
            selected.addAll(hosts.contains(term) ? Set.of(term) : matches(term));
        }
        for (String term : intersections) {
            selected.retainAll(matches(term.substring(1)));
        }
        for (String term : exclusions) {
            selected.removeAll(matches(term.substring(1)));
        }
        Set<String> inOrder = new LinkedHashSet<>(hosts);
        inOrder.retainAll(selected);
        if (inOrder.isEmpty()) {
            throw new LimitException(where + " leaves no host of " + file);
        }
        return inOrder;
    }

    private static List<String> terms(String limit) {
        if (limit.contains(",")) {
            return Arrays.stream(limit.split(","))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .toList();
        }
        if (NodeSyntax.isIpv6Address(limit.replaceFirst("^[!&]", ""))) {
            return List.of(limit);
        }
        List<String> terms = new ArrayList<>();
        Matcher term = COLON_SEPARATED.matcher(limit);
        while (term.find()) {
            terms.add(term.group());
        }
        return terms;
    }

    /**
     * Ansible looks for hosts by name only when no group matches, or when the pattern is a glob or a regex. A group
     * without hosts matches, and adds none.
     */
    private Set<String> matches(String pattern) throws LimitException {
        boolean regex = pattern.startsWith("~");
        if (!regex && SUBSCRIPT.matcher(pattern).matches()) {
            throw new LimitException(
                    where + ": subscripts such as '" + pattern + "' are not supported; name the hosts");
        }
        Predicate<String> matcher = regex ? regex(pattern.substring(1)) : glob(pattern);
        Set<String> found = new LinkedHashSet<>();
        boolean groupMatched = false;
        for (Map.Entry<String, Set<String>> group : inventory.groups().entrySet()) {
            if (matcher.test(group.getKey())) {
                groupMatched = true;
                found.addAll(group.getValue());
            }
        }
        if (!groupMatched || regex || pattern.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0)) {
            inventory.hosts().stream().filter(matcher).forEach(found::add);
        }
        if (found.isEmpty() && !groupMatched) {
            throw new LimitException(where + ": '" + pattern + "' matches no group or host of " + file);
        }
        return found;
    }

    private Predicate<String> regex(String regex) throws LimitException {
        if (regex.length() > MAX_REGEX_LENGTH) {
            throw new LimitException(where + ": '~" + regex.substring(0, 32) + "...' is " + regex.length()
                    + " characters long; a regex may have at most " + MAX_REGEX_LENGTH);
        }
        String unsupported = UNSUPPORTED.matcher(regex).find()
                ? "lookaround ((?=, (?!, (?<=, (?<!) and atomic groups"
                : BACKREFERENCE.matcher(regex).find() ? "backreferences (\\1, \\k<name>)" : null;
        if (unsupported != null) {
            throw new LimitException(where + ": '~" + regex + "' uses " + unsupported + ", which a limit does not"
                    + " support (RE2 syntax, matched in linear time)");
        }
        try {
            com.google.re2j.Pattern pattern = com.google.re2j.Pattern.compile(regex);
            return name -> pattern.matcher(name).lookingAt();
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new LimitException(
                    where + ": '~" + regex + "' is not a regular expression RE2 takes: " + e.getDescription());
        }
    }

    /** Python's fnmatch, which Ansible uses: {@code *}, {@code ?}, {@code [set]}, {@code [!set]}. */
    private Predicate<String> glob(String glob) throws LimitException {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            int close = c == '[' ? setEnd(glob, i) : -1;
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (close > 0) {
                String set = glob.substring(i + 1, close)
                        .replace("\\", "\\\\")
                        .replace("[", "\\[")
                        .replace("]", "\\]")
                        .replace("&", "\\&");
                regex.append('[')
                        .append(set.startsWith("!") ? "^" + set.substring(1) : set.startsWith("^") ? "\\" + set : set)
                        .append(']');
                i = close;
            } else {
                regex.append(c >= 128 || Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
            }
        }
        try {
            com.google.re2j.Pattern pattern = com.google.re2j.Pattern.compile(regex.toString());
            return name -> pattern.matcher(name).matches();
        } catch (com.google.re2j.PatternSyntaxException e) {
            throw new LimitException(where + ": '" + glob + "' is not a valid pattern: " + e.getDescription());
        }
    }

    private static int setEnd(String glob, int open) {
        int j = open + 1;
        if (j < glob.length() && glob.charAt(j) == '!') {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++;
        }
        return glob.indexOf(']', j);
    }
}
