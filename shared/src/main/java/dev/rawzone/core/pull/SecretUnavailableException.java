package dev.rawzone.core.pull;

/** A source's credential could not be read; the message names the reference and why, never a value. */
public final class SecretUnavailableException extends RuntimeException {
    public SecretUnavailableException(String message) {
        super(message);
    }

    public SecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
