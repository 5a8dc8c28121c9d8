package io.lazarus.common.contract;

/** Which stream of a script an {@link OutputChunk} comes from. */
public enum OutputStreamName {
    STDOUT,
    STDERR
}
