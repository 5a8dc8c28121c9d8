package io.lazarus.common.files;

/** Content the store holds: its digest (lower case hex) and size in bytes. */
public record StoredContent(String sha256, long size) {}
