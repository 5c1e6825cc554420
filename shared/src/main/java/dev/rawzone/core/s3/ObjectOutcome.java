package dev.rawzone.core.s3;

/** What happened to one announced object. */
public enum ObjectOutcome {
    /** Read to its end; records written, quarantined or found already written. */
    INGESTED,
    /** A manifest says an earlier run finished this object version; nothing was read. */
    ALREADY_INGESTED,
    /** Not readable as records (no route, unknown format or dataset, truncated gzip, binary): copied to quarantine. */
    QUARANTINED_WHOLE,
    /** Deleted before it could be read; logged and counted, not retried. */
    MISSING,
    /** Overwritten before it could be read (unversioned bucket, ETag changed); the newer upload has its own event. */
    SUPERSEDED
}
