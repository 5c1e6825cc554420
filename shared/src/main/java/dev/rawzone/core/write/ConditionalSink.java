package dev.rawzone.core.write;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Write-once object storage: a key, once written, is never replaced by this pipeline. */
public interface ConditionalSink {

    /** Writes only if nothing has the key yet (S3 {@code If-None-Match: *}). */
    PutOutcome putIfAbsent(String key, byte[] body, Map<String, String> metadata);

    /** The user metadata of the object at the key, or empty if there is none. */
    Optional<Map<String, String>> metadata(String key);

    /** The content of the object at the key, or empty if there is none. */
    Optional<byte[]> read(String key);

    /**
     * Every key that starts with {@code prefix} and holds an object (a key whose current version is a delete marker
     * holds none), in ascending order of their UTF-8 bytes (S3 ListObjectsV2 order). For a recovery path only: it
     * costs one request per thousand keys.
     */
    List<String> keys(String prefix);
}
