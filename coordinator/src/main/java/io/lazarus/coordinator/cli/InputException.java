package io.lazarus.coordinator.cli;

import io.lazarus.common.contract.InvalidField;
import java.util.Locale;

/** Bad input from the user (a file, an option value); exit code 2. */
final class InputException extends RuntimeException {

    InputException(String message) {
        super(message);
    }

    /** A refused value, named as the option it came from: {@code maxInFlight} as {@code --max-in-flight}. */
    static InputException of(InvalidField e) {
        return new InputException(
                "--" + e.name().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT) + " " + e.detail());
    }
}
