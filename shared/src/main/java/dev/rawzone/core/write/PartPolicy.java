package dev.rawzone.core.write;

import java.util.zip.Deflater;

/**
 * When a part is full: after {@code maxRecords} records or {@code maxBytes} uncompressed bytes, whichever comes
 * first. Never a clock: rotation by time would make part boundaries, and so names, differ between runs. And how
 * hard its gzip works: {@code gzipLevel} 1 (fastest) to 9 (smallest); any level is plain gzip to every reader.
 */
public record PartPolicy(int maxRecords, long maxBytes, int gzipLevel) {
    /**
     * Level 1 by default: about a quarter of level 6's CPU for parts about 15% larger (BENCHMARKS.md), and the
     * level's CPU was half of the S3 ingest's.
     */
    public static final int DEFAULT_GZIP_LEVEL = Deflater.BEST_SPEED;

    public PartPolicy {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a part holds at least one record and one byte");
        }
        if (gzipLevel < Deflater.BEST_SPEED || gzipLevel > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level " + gzipLevel + " is not between 1 and 9");
        }
    }

    public PartPolicy(int maxRecords, long maxBytes) {
        this(maxRecords, maxBytes, DEFAULT_GZIP_LEVEL);
    }

    public static PartPolicy defaults() {
        return new PartPolicy(100_000, 16L * 1024 * 1024);
    }

    public PartPolicy withGzipLevel(int level) {
        return new PartPolicy(maxRecords, maxBytes, level);
    }
}
