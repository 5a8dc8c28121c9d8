package io.lazarus.coordinator.cli;

/** Bad input from the user (a file, an option value); exit code 2. */
final class InputException extends RuntimeException {

    InputException(String message) {
        super(message);
    }
}
