package dev.rawzone.core.s3;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.SourceIdentity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An object version that a notification says was created. Its identity is bucket + key + version id, or, where
 * the bucket is unversioned, bucket + key + ETag + sequencer: a new version (or a new upload) is new data, the
 * same version announced twice is the same data.
 *
 * @param key the decoded key
 */
public record ObjectNotice(String bucket, String key, Optional<String> versionId, Optional<String> eTag,
                           long size, Optional<String> sequencer) {
    private static final int STEM_NAME_CHARS = 40;

    /** The ETag as HTTP conditions want it: quoted (notifications carry it bare). */
    public Optional<String> quotedETag() {
        return eTag.map(tag -> tag.startsWith("\"") ? tag : "\"" + tag + "\"");
    }

    /** The key as S3 notifications carry it: encoded like a form, '/' kept. */
    public String encodedKey() {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    public SourceIdentity identity() {
        String uri = "s3://" + bucket + "/" + encodedKey() + versionId.map(v -> "?versionId=" + v)
                .orElseGet(() -> "?etag=" + eTag.orElse("") + sequencer.map(s -> "&sequencer=" + s).orElse(""));
        String version = versionId.orElseGet(() -> "etag:" + eTag.orElse("") + ":" + sequencer.orElse(""));
        String stem = KeyParts.stem(readableName(), KeyParts.fingerprint(bucket, key, version));
        return new SourceIdentity("s3", uri, stem);
    }

    /** True for the zero-byte {@code folder/} markers the S3 console creates: a key, but no data. */
    public boolean isFolderMarker() {
        return key.endsWith("/") && size == 0;
    }

    /** The file name up to its first dot, at most {@value #STEM_NAME_CHARS} characters, before sanitising. */
    private String readableName() {
        String baseName = key.substring(key.lastIndexOf('/') + 1);
        int dot = baseName.indexOf('.');
        String name = dot > 0 ? baseName.substring(0, dot) : baseName;
        return name.length() > STEM_NAME_CHARS ? name.substring(0, STEM_NAME_CHARS) : name;
    }
}
