package dev.rawzone.functions.s3;

import dev.rawzone.core.s3.ObjectNotice;

/** One entry of an S3 notification: an object version to ingest, or something to log and leave alone. */
sealed interface Announcement {
    record Ingest(ObjectNotice notice) implements Announcement {
    }

    record Ignore(String bucket, String key, String reason) implements Announcement {
    }
}
