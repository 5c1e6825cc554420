package dev.rawzone.core.s3;

/** What happened to one announced object. */
public enum ObjectOutcome {
    /** Read to its end; records written, quarantined or found already written. */
    INGESTED,
    /**
     * Read up to a segment end when the invocation's time ran out; what was read is settled, where it stopped is
     * recorded, and the next invocation (a continuation) reads on from there.
     */
    CONTINUED,
    /**
     * Read up to a segment end where another attempt at the same object (a continuation delivered twice, the
     * notification again) had already stopped and handed the rest on: this one hands nothing on.
     */
    CONTINUED_BY_ANOTHER,
    /** A manifest says an earlier run finished this object version; nothing was read. */
    ALREADY_INGESTED,
    /**
     * Not readable as records, wholly (no route, unknown format or dataset, binary) or from some line on (truncated or
     * corrupt gzip, bytes after the last gzip member): copied whole to quarantine; the report's
     * {@link UnreadableRemainder} says what the verdict covers.
     */
    QUARANTINED_WHOLE,
    /** Deleted before it could be read; logged and counted, not retried. */
    MISSING,
    /** Overwritten before it could be read (unversioned bucket, ETag changed); the newer upload has its own event. */
    SUPERSEDED,
    /**
     * Failed part-way (a read, a write, its manifest): what it settled stays, the rest counts as failed, and the
     * event is failed back to Lambda, whose retry finds the settled parts written.
     */
    FAILED
}
