package dev.rawzone.core.s3;

/** One entry of an S3 notification: an object version to ingest, or something to log and leave alone. */
public sealed interface Announcement {
    record Ingest(ObjectNotice notice) implements Announcement {
    }

    record Ignore(String bucket, String key, String reason) implements Announcement {
    }
}
