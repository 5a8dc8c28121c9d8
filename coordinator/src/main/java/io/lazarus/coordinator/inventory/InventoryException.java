package io.lazarus.coordinator.inventory;

import java.util.List;

/** An inventory that cannot be used as it is. Every problem found is listed as {@code file:line: what}. */
public class InventoryException extends Exception {

    private final List<String> problems;

    public InventoryException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
