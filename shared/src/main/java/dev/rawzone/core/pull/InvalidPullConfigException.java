package dev.rawzone.core.pull;

/** The pull sources configuration cannot be used; the message names the field and what is wrong with it. */
public final class InvalidPullConfigException extends RuntimeException {
    public InvalidPullConfigException(String message) {
        super(message);
    }

    public InvalidPullConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
