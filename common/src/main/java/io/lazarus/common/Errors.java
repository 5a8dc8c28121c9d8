package io.lazarus.common;

import java.util.Optional;
import org.springframework.core.NestedExceptionUtils;

/** Exceptions as people read them, and the causes code acts on. */
public final class Errors {

    private Errors() {}

    /** The message of the innermost cause: the one that says what actually happened (refused, timed out...). */
    public static String rootMessage(Throwable e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** The first line of {@link #rootMessage}: for one line of a log or a refusal. */
    public static String rootLine(Throwable e) {
        String message = rootMessage(e);
        return message.lines().findFirst().orElse(message);
    }

    /** The outermost exception of this type in {@code e}'s chain of causes, {@code e} included. */
    public static <T extends Throwable> Optional<T> causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
