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
            // the fields whose option is not their kebab case: --secret and --var are repeated, once per name
            throw switch (e.name()) {
                case "secrets" -> new InputException("--secret " + e.detail());
                case "vars" -> new InputException("--var " + e.detail());
                default -> InputException.of(e);
            };
        } catch (InventoryException e) {
            throw new InputException("bad inventory:\n  " + String.join("\n  ", e.listed()));
        }
    }
}
