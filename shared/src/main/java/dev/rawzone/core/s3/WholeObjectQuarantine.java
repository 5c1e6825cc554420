package dev.rawzone.core.s3;

import dev.rawzone.core.write.ConditionalSink;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies an object that cannot be read as records, or not from some line on, into quarantine, server-side (no
 * bytes pass through the function, whatever the size). The copy is always the whole object, kept as evidence; its
 * metadata says what the verdict covers ({@code covers}: {@code whole-object}, or {@code remainder} from
 * {@code covers-from-line}, the first line not accounted for elsewhere), why, and where the object came from.
 */
final class WholeObjectQuarantine {
    /** CopyObject's own limit: a larger object can only be copied in parts. */
    static final long COPY_OBJECT_MAX_BYTES = 5L * 1024 * 1024 * 1024;
    static final long MULTIPART_COPY_PART_BYTES = 512L * 1024 * 1024;
    private static final int MAX_REASON_CHARS = 1024;

    private final S3Client s3;
    private final ConditionalSink raw;
    private final String rawBucket;
    private final long multipartAboveBytes;
    private final MultipartObjectCopy multipart;

    WholeObjectQuarantine(S3Client s3, ConditionalSink raw, String rawBucket) {
        this(s3, raw, rawBucket, COPY_OBJECT_MAX_BYTES, MULTIPART_COPY_PART_BYTES);
    }

    /** @param multipartAboveBytes objects larger than this are copied in parts of at least {@code partBytes} */
    WholeObjectQuarantine(S3Client s3, ConditionalSink raw, String rawBucket, long multipartAboveBytes,
                          long partBytes) {
        this.s3 = s3;
        this.raw = raw;
        this.rawBucket = rawBucket;
        this.multipartAboveBytes = multipartAboveBytes;
        this.multipart = new MultipartObjectCopy(s3, partBytes);
    }

    /**
     * A key already taken is checked before copying. Above the threshold, CompleteMultipartUpload carries
     * {@code If-None-Match: *} as well, so a copy another run completed in between is kept; CopyObject is not
     * conditional on its destination, and a race there copies the same source version twice as one new version.
     *
     * @return true if this call copied it, false if an earlier run already had
     */
    boolean copy(ObjectNotice notice, UnreadableRemainder remainder, long size) {
        String key = remainder.quarantineKey();
        if (raw.metadata(key).isPresent()) {
            return false;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "s3");
        metadata.put("source-identity", notice.identity().metadataUri());
        metadata.put("covers", remainder.wholeObject() ? "whole-object" : "remainder");
        metadata.put("covers-from-line", Long.toString(remainder.fromLine()));
        metadata.put("reason", asciiReason(remainder.reason()));
        if (size > multipartAboveBytes) {
            return multipart.copy(notice, size, rawBucket, key, metadata);
        }
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
                .sourceBucket(notice.bucket()).sourceKey(notice.key())
                .destinationBucket(rawBucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata)
                .taggingDirective(TaggingDirective.REPLACE);
        notice.versionId().ifPresent(copy::sourceVersionId);
        notice.quotedETag().ifPresent(copy::copySourceIfMatch);
        s3.copyObject(copy.build());
        return true;
    }

    private static String asciiReason(String reason) {
        String ascii = reason.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() > MAX_REASON_CHARS ? ascii.substring(0, MAX_REASON_CHARS) : ascii;
    }
}
