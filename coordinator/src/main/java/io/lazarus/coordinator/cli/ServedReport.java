package io.lazarus.coordinator.cli;

/**
 * A finished run's reports as its service wrote them: the readable summary, whether every node succeeded, and the
 * JSON and JUnit reports if they were asked for ({@code null} if not).
 */
record ServedReport(String summary, boolean allSucceeded, byte[] json, byte[] junit) {}
