package io.lazarus.coordinator.service;

/** A run or node the registry does not have. */
final class NotFound extends RuntimeException {

    NotFound(String detail) {
        super(detail, null, false, false);
    }
}
