package dev.rawzone.core.route;

/** The routing config is unreadable or breaks a rule; the message names the offending entry. */
public final class InvalidRoutingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRoutingException(String message) {
        super(message);
    }

    public InvalidRoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}
