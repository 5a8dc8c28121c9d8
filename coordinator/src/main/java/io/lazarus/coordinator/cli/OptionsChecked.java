package io.lazarus.coordinator.cli;

/**
 * A command whose options can be wrong together in ways picocli cannot tell (one of two required, one only with
 * another): checked from the command line alone, before Spring starts, so that such a usage error is answered in a
 * fraction of a second, and again as the command runs (a command built by Spring).
 */
interface OptionsChecked {

    /** @throws InputException naming the options that do not go together */
    void checkOptions();
}
