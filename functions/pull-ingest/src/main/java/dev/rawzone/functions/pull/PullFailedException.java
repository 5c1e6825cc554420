package dev.rawzone.functions.pull;

/**
 * Thrown at the end of an invocation in which a source failed (after every selected source was tried and the
 * metrics were sent), so Lambda counts an error, retries the event, and then sends it to the on-failure
 * destination. The failed sources' checkpoints did not move past anything unwritten.
 */
public final class PullFailedException extends RuntimeException {
    public PullFailedException(String message) {
        super(message);
    }
}
