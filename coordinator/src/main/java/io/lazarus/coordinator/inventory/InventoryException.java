package io.lazarus.coordinator.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An inventory that cannot be used as it is. Every problem found is listed as {@code file:line: what}. */
public class InventoryException extends Exception {

    /** The most problems an error message lists; the rest are counted. */
    public static final int LISTED = 100;
    /** The longest problem listed: a problem quotes its line, and a line may be megabytes long. */
    static final int LISTED_LENGTH = 500;

    private final List<String> problems;

    public InventoryException(List<String> problems) {
        super(String.join("\n", listed(problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** The first {@link #LISTED} problems, then {@code ... and 99,900 more} when there are more. */
    public List<String> listed() {
        return listed(problems);
    }

    private static List<String> listed(List<String> problems) {
        List<String> listed = new ArrayList<>();
        for (String problem : problems.subList(0, Math.min(problems.size(), LISTED))) {
            listed.add(problem.length() <= LISTED_LENGTH ? problem : problem.substring(0, LISTED_LENGTH) + "...");
        }
        if (problems.size() <= LISTED) {
            return listed;
        }
        listed.add(String.format(Locale.ROOT, "... and %,d more", problems.size() - LISTED));
        return listed;
    }
}
