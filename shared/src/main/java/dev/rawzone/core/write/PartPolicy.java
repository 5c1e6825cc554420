package dev.rawzone.core.write;

/**
 * When a part is full: after {@code maxRecords} records or {@code maxBytes} uncompressed bytes, whichever comes
 * first. Never a clock: rotation by time would make part boundaries, and so names, differ between runs.
 */
public record PartPolicy(int maxRecords, long maxBytes) {
    public PartPolicy {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a part holds at least one record and one byte");
        }
    }

    public static PartPolicy defaults() {
        return new PartPolicy(100_000, 16L * 1024 * 1024);
    }
}
