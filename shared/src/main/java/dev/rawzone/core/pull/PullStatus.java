package dev.rawzone.core.pull;

/** How pulling a source ended this run. */
public enum PullStatus {
    /** Caught up: the last page of the query was committed. */
    COMPLETE,
    /**
     * Stopped cleanly (the time budget, throttled longer than the time left, or a run before the instant a noted
     * {@code Retry-After} asked for); resumes on the next run.
     */
    PAUSED,
    /** A failure of the source (a client error, a malformed page, retries used up, a missing secret, bad config). */
    FAILED,
    /** Another run advanced the checkpoint first; this run stopped without moving it. */
    SUPERSEDED
}
