package dev.rawzone.core.read;

/** Bounds on what a reader holds in memory for a single record. */
public record ReaderLimits(int maxRecordBytes) {

    private static final int MAX_SUPPORTED = 1 << 30;

    public ReaderLimits {
        if (maxRecordBytes < 1 || maxRecordBytes > MAX_SUPPORTED) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be between 1 and " + MAX_SUPPORTED + ", was " + maxRecordBytes);
        }
    }

    /** 1 MiB per record. */
    public static ReaderLimits defaults() {
        return new ReaderLimits(1024 * 1024);
    }
}
