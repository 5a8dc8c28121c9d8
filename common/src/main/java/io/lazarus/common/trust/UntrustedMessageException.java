package io.lazarus.common.trust;

/** A message whose origin cannot be proven: it is refused before anything in it is acted on. */
public final class UntrustedMessageException extends RuntimeException {
    public UntrustedMessageException(String reason) {
        super(reason);
    }
}
