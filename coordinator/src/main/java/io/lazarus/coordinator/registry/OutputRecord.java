package io.lazarus.coordinator.registry;

import io.lazarus.common.contract.OutputStreamName;

/** One recorded chunk of an attempt's output. */
public record OutputRecord(long seq, OutputStreamName stream, long offset, String text) {}
