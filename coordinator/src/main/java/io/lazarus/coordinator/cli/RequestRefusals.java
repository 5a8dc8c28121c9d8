package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.InvalidField;
import io.lazarus.coordinator.inventory.InventoryException;

/** A run request's refusals as the command line tells them: named as the option, exit code 2. */
final class RequestRefusals {

    private RequestRefusals() {}

    interface Check<T> {
        T get() throws InventoryException;
    }

    static <T> T checked(Check<T> check) {
        try {
            return check.get();
        } catch (InvalidField e) {
            // the one field whose option is not its kebab case: --secret is repeated, once per name
            throw e.name().equals("secrets") ? new InputException("--secret " + e.detail()) : InputException.of(e);
        } catch (InventoryException e) {
            throw new InputException("bad inventory:\n  " + String.join("\n  ", e.listed()));
        }
    }
}
