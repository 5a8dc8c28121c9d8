package io.lazarus.benchmark;

/** The benchmark could not measure: the message says what failed and where to look. */
final class BenchmarkFailure extends Exception {

    BenchmarkFailure(String message) {
        super(message);
    }
}
