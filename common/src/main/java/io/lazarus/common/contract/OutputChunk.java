package io.lazarus.common.contract;

/**
 * A piece of what one attempt's script printed on one stream, masked by the worker before it left. The chunks of an
 * attempt are numbered across both streams in the order the worker cut them, so reading them by {@code seq}
 * interleaves the streams about as they were printed.
 *
 * @param seq    from 0, one counter for both streams of the attempt's execution
 * @param offset bytes (UTF-8) of this stream sent before this chunk
 * @param text   the bytes as UTF-8 text; control characters as printed
 */
public record OutputChunk(OutputStreamName stream, long seq, long offset, String text) {

    /** A worker cuts at 64 KiB of output; masking may lengthen it a little, JSON never changes it. */
    public static final int MAX_TEXT_CHARS = 128 * 1024;

    public OutputChunk {
        if (stream == null) {
            throw new InvalidField("output.stream", "is required");
        }
        if (seq < 0 || offset < 0) {
            throw new InvalidField("output", "seq and offset must be 0 or more");
        }
        if (text == null) {
            throw new InvalidField("output.text", "is required");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new InvalidField(
                    "output.text",
                    "is " + text.length() + " characters, more than " + MAX_TEXT_CHARS + " in one chunk");
        }
    }

    public int bytes() {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
