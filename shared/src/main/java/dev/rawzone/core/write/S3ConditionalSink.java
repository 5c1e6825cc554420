package dev.rawzone.core.write;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ConditionalSink} on an S3 bucket. A 412 means the key is taken. A 409 ConditionalRequestConflict (two
 * writers racing for one key on real S3) is retried, after which the 412 of the loser says "already written".
 */
public final class S3ConditionalSink implements ConditionalSink {
    private static final int CONFLICT_RETRIES = 5;

    private final S3Client s3;
    private final String bucket;

    public S3ConditionalSink(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /**
     * The body is sent from the caller's array, not from a copy of it ({@code RequestBody.fromBytes} copies): a
     * part is several MiB, and a copy alive through the PUT outlives a young collection, so it would be copied
     * again by the collector, then left dead in the old generation. The caller does not change the array.
     */
    @Override
    public PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        String contentType = contentType(key);
        RequestBody request = RequestBody.fromContentProvider(ContentStreamProvider.fromByteArrayUnsafe(body),
                body.length, contentType);
        for (int attempt = 0; ; attempt++) {
            try {
                s3.putObject(put -> put.bucket(bucket).key(key).ifNoneMatch("*").metadata(metadata)
                        .contentType(contentType), request);
                return PutOutcome.CREATED;
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return PutOutcome.ALREADY_EXISTS;
                }
                if (e.statusCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    @Override
    public Optional<Map<String, String>> metadata(String key) {
        try {
            return Optional.of(s3.headObject(head -> head.bucket(bucket).key(key)).metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** ListObjectsV2 under the prefix, every page (the SDK's paginator follows the continuation tokens). */
    @Override
    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static String contentType(String key) {
        if (key.endsWith(".jsonl.gz")) {
            return "application/x-ndjson";
        }
        return key.endsWith(".json") ? "application/json" : "application/octet-stream";
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting write", e);
        }
    }
}
