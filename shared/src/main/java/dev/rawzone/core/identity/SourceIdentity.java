package dev.rawzone.core.identity;

/**
 * Where a unit of source data comes from: an S3 object version, a Kinesis shard, a pulled API source. Its stem
 * is a pure function of the identity, so the names of everything written from it are too.
 *
 * @param source   the kind of source: {@code s3}, {@code kinesis} or {@code pull}
 * @param uri      a readable, ASCII-only URI of the exact source (goes into lineage metadata)
 * @param stem     the sanitised, collision-resistant name stem of every object written from this source
 */
public record SourceIdentity(String source, String uri, String stem) {
    public SourceIdentity {
        if (!source.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("source kind must be lower-case alphanumeric: " + source);
        }
        if (!stem.equals(KeyParts.sanitise(stem))) {
            throw new IllegalArgumentException("stem is not a sanitised key segment: " + stem);
        }
    }
}
