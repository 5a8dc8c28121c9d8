package io.lazarus.coordinator.files;

/** An {@code --upload} that cannot be done; the message names the value as given. */
public final class UploadException extends IllegalArgumentException {

    public UploadException(String value, String problem) {
        super("--upload " + value + ": " + problem);
    }
}
