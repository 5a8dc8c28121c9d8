package io.lazarus.coordinator.dispatch;

/** The broker cannot be reached or refused the run's messages; exit code 3. */
public final class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
