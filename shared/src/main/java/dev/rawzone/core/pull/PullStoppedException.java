package dev.rawzone.core.pull;

/**
 * Pulling a source stops before the page in hand: either a failure of the source ({@link #failure()}: a 4xx, a
 * malformed page, retries used up) or a clean pause (out of time, or throttled for longer than the time left),
 * to resume on the next run. Either way the checkpoint stays after the last committed page.
 */
final class PullStoppedException extends Exception {
    private final boolean failure;

    private PullStoppedException(String message, boolean failure) {
        super(message, null, false, false);
        this.failure = failure;
    }

    static PullStoppedException failed(String message) {
        return new PullStoppedException(message, true);
    }

    static PullStoppedException paused(String message) {
        return new PullStoppedException(message, false);
    }

    boolean failure() {
        return failure;
    }
}
