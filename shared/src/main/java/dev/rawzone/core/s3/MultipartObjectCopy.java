package dev.rawzone.core.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server-side copy of an object version of any size (CopyObject stops at 5 GiB): CreateMultipartUpload with the
 * metadata, UploadPartCopy of consecutive byte ranges of the pinned source version (or of the announced ETag,
 * {@code x-amz-copy-source-if-match}, where the bucket is unversioned), then CompleteMultipartUpload with
 * {@code If-None-Match: *}, so a copy another run finished first is kept. Any failure aborts the upload.
 */
final class MultipartObjectCopy {
    private static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final long partBytes;

    MultipartObjectCopy(S3Client s3, long partBytes) {
        this.s3 = s3;
        this.partBytes = partBytes;
    }

    /** @return false if the destination key was taken before the copy completed */
    boolean copy(ObjectNotice source, long size, String bucket, String key, Map<String, String> metadata) {
        String uploadId = s3.createMultipartUpload(create -> create.bucket(bucket).key(key).metadata(metadata))
                .uploadId();
        List<CompletedPart> parts;
        try {
            parts = copyParts(source, size, bucket, key, uploadId);
        } catch (RuntimeException e) {
            abort(bucket, key, uploadId, e);
            throw e;
        }
        try {
            s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                    .ifNoneMatch("*").multipartUpload(upload -> upload.parts(parts)));
            return true;
        } catch (RuntimeException e) {
            abort(bucket, key, uploadId, e);
            if (e instanceof S3Exception s3Exception && s3Exception.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    private List<CompletedPart> copyParts(ObjectNotice source, long size, String bucket, String key, String uploadId) {
        long part = Math.max(partBytes, (size + MAX_PARTS - 1) / MAX_PARTS);
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (long first = 0; first < size; first += part, number++) {
            UploadPartCopyRequest.Builder request = UploadPartCopyRequest.builder()
                    .sourceBucket(source.bucket()).sourceKey(source.key())
                    .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(number)
                    .copySourceRange("bytes=" + first + "-" + (Math.min(size, first + part) - 1));
            source.versionId().ifPresentOrElse(request::sourceVersionId,
                    () -> source.quotedETag().ifPresent(request::copySourceIfMatch));
            String eTag = s3.uploadPartCopy(request.build()).copyPartResult().eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        }
        return parts;
    }

    private void abort(String bucket, String key, String uploadId, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
        }
    }
}
