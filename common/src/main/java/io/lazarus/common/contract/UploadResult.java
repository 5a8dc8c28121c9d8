package io.lazarus.common.contract;

/**
 * One file that reached one node: its content checked on the node, then moved to its place.
 *
 * @param bytes      bytes sent
 * @param durationMs from opening the SFTP channel to the file in place, the digest check on the node included
 */
public record UploadResult(String remotePath, String sha256, long bytes, long durationMs) {}
