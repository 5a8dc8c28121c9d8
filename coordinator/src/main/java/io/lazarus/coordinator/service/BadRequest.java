package io.lazarus.coordinator.service;

/** Input the API refuses, naming the field at fault. */
final class BadRequest extends RuntimeException {

    final String field;

    BadRequest(String field, String detail) {
        super(detail, null, false, false);
        this.field = field;
    }
}
