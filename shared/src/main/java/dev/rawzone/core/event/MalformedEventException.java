package dev.rawzone.core.event;

/** The event a handler received is not of a shape it can read; the message names what is wrong, in one line. */
public final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
