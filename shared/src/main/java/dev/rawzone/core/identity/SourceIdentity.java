package dev.rawzone.core.identity;

import java.nio.charset.StandardCharsets;

/**
 * Where a unit of source data comes from: an S3 object version, a Kinesis shard, a pulled API source. Its stem
 * is a pure function of the identity, so the names of everything written from it are too.
 *
 * @param source   the kind of source: {@code s3}, {@code kinesis} or {@code pull}
 * @param uri      a readable, ASCII-only URI of the exact source (goes into lineage metadata)
 * @param stem     the sanitised, collision-resistant name stem of every object written from this source
 */
public record SourceIdentity(String source, String uri, String stem) {
    private static final int MAX_METADATA_URI_CHARS = 1024;
    private static final String CUT = "...#sha256=";

    public SourceIdentity {
        if (!source.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("source kind must be lower-case alphanumeric: " + source);
        }
        if (!stem.equals(KeyParts.sanitise(stem))) {
            throw new IllegalArgumentException("stem is not a sanitised key segment: " + stem);
        }
    }

    /**
     * The uri as object metadata can hold it: S3 keeps at most 2 KB of user metadata per object, and a 1,024-byte
     * key percent-encodes to up to 9 KB. A longer uri keeps its start and ends in the SHA-256 of the whole uri;
     * the manifest holds the full key.
     */
    public String metadataUri() {
        if (uri.length() <= MAX_METADATA_URI_CHARS) {
            return uri;
        }
        String digest = KeyParts.sha256Hex(uri.getBytes(StandardCharsets.UTF_8));
        return uri.substring(0, MAX_METADATA_URI_CHARS - CUT.length() - digest.length()) + CUT + digest;
    }
}
