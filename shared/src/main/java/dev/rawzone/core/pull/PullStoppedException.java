package dev.rawzone.core.pull;

import java.time.Duration;
import java.util.Optional;

/**
 * Pulling a source stops before the page in hand: either a failure of the source ({@link #failure()}: a 4xx, a
 * malformed page, retries used up) or a clean pause (out of time, or throttled for longer than the time left),
 * to resume on the next run. Either way the checkpoint stays after the last committed page.
 */
final class PullStoppedException extends Exception {
    private final boolean failure;
    private final Optional<Duration> retryAfter;

    private PullStoppedException(String message, boolean failure, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    static PullStoppedException failed(String message) {
        return new PullStoppedException(message, true, Optional.empty());
    }

    static PullStoppedException paused(String message) {
        return new PullStoppedException(message, false, Optional.empty());
    }

    /** A pause because the API's {@code Retry-After} asks for a longer wait than the time left. */
    static PullStoppedException askedToWait(String message, Duration retryAfter) {
        return new PullStoppedException(message, false, Optional.of(retryAfter));
    }

    boolean failure() {
        return failure;
    }

    /** How long the API asked not to be called, when that is why the pull paused. */
    Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
