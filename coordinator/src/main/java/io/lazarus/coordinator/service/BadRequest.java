package io.lazarus.coordinator.service;

import io.lazarus.common.contract.InvalidField;

/** Input the API refuses, naming the field at fault. */
final class BadRequest extends RuntimeException {

    final String field;
    /** How many problems the input has, when the detail lists only the first of them; 0 otherwise. */
    final int problemCount;

    BadRequest(String field, String detail) {
        this(field, detail, 0);
    }

    /** A refused value, named as the request's field: {@code stallRetries} for {@code watchdog.stallRetries}. */
    static BadRequest of(InvalidField e) {
        return new BadRequest(e.name(), e.name() + " " + e.detail());
    }

    BadRequest(String field, String detail, int problemCount) {
        super(detail, null, false, false);
        this.field = field;
        this.problemCount = problemCount;
    }
}
