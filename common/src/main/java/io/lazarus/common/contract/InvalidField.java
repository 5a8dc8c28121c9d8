package io.lazarus.common.contract;

/**
 * A value refused, naming the field at fault, so that each surface names it its own way (the command line as
 * {@code --stall-retries}, the API as {@code stallRetries}) without reading it back out of the message. The message is
 * the field, then what is wrong with it: {@code watchdog.stallRetries must be 0 or more, was -1}.
 */
public final class InvalidField extends IllegalArgumentException {

    private final String field;
    private final String detail;

    /**
     * @param field  the field as the refusing type names it; nested fields with dots ({@code watchdog.stallRetries})
     * @param detail what is wrong with it, completing a sentence that starts with the field ({@code is required})
     */
    public InvalidField(String field, String detail) {
        super(field + " " + detail);
        this.field = field;
        this.detail = detail;
    }

    public String field() {
        return field;
    }

    /** The field without the names of the objects that hold it: {@code stallRetries} for {@code watchdog.stallRetries}. */
    public String name() {
        return field.substring(field.lastIndexOf('.') + 1);
    }

    public String detail() {
        return detail;
    }
}
