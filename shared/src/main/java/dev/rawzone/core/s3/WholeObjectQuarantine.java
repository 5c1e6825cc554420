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
    private static final int MAX_REASON_CHARS = 1024;

    private final S3Client s3;
    private final ConditionalSink raw;
    private final String rawBucket;

    WholeObjectQuarantine(S3Client s3, ConditionalSink raw, String rawBucket) {
        this.s3 = s3;
        this.raw = raw;
        this.rawBucket = rawBucket;
    }

    /** @return true if this call copied it, false if an earlier run already had */
    boolean copy(ObjectNotice notice, UnreadableRemainder remainder) {
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
