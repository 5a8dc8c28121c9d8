package io.lazarus.coordinator.request;

import io.lazarus.common.contract.InvalidField;
import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/** The durations a run request takes: {@code 90s}, {@code 20m}, {@code 1h}, {@code PT1M30S}; positive and bounded. */
public final class RequestDurations {

    /** No duration is longer: a longer one would overflow the registry's timestamps. */
    static final Duration MAX = Duration.ofDays(3650);

    private RequestDurations() {}

    /** The duration {@code value} says, or an {@link InvalidField} naming {@code field}. */
    public static Duration parse(String field, String value) {
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException | ArithmeticException e) {
            duration = Duration.ZERO;
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new InvalidField(
                    field,
                    "'" + RunRequestValidator.abbreviated(value)
                            + "' is not a positive duration (examples: 90s, 20m, 1h, PT1M30S)");
        }
        if (duration.compareTo(MAX) > 0) {
            throw new InvalidField(
                    field, "'" + RunRequestValidator.abbreviated(value) + "' is longer than " + MAX.toDays() + " days");
        }
        return duration;
    }
}
