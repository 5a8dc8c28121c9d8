package io.lazarus.coordinator.inventory;

import java.util.List;

/** A limit that cannot be applied to the inventory: bad syntax, or a part of it that matches nothing. */
public final class LimitException extends InventoryException {

    LimitException(String problem) {
        super(List.of(problem));
    }
}
