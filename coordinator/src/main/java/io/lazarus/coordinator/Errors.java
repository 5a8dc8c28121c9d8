package io.lazarus.coordinator;

/** Exceptions as one line for people. */
public final class Errors {

    private Errors() {
    }

    /** The message of the innermost cause: the one that says what actually happened (refused, timed out...). */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
