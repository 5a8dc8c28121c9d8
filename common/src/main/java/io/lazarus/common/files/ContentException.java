package io.lazarus.common.files;

import java.io.IOException;

/** The store cannot take or give some content; the message says which and why, for a person. */
public final class ContentException extends IOException {

    public ContentException(String message) {
        super(message);
    }

    public ContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
