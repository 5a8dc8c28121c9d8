package io.lazarus.coordinator.logs;

import io.lazarus.common.contract.OutputStreamName;
import java.util.Locale;

/** Which of a script's streams a log shows. */
public enum LogStreams {
    STDOUT,
    STDERR,
    BOTH;

    /** {@code stdout}, {@code stderr} or {@code both}, in any case. */
    public static LogStreams parse(String word) {
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be stdout, stderr or both, was " + word);
        }
    }

    public boolean includes(OutputStreamName stream) {
        return this == BOTH || name().equals(stream.name());
    }
}
