package dev.rawzone.functions.replay;

/**
 * Thrown by a one-item invocation whose unit FAILED (it could not be done now), so that the Distributed Map retries
 * the item and a redrive of the execution re-runs it. Findings (DIFFERS, MISSING, LOST) are returned, not thrown.
 */
public final class UnitFailedException extends RuntimeException {
    public UnitFailedException(String message) {
        super(message);
    }
}
