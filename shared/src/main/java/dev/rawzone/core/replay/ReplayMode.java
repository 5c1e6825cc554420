package dev.rawzone.core.replay;

import java.util.Locale;

/** What a replay does: checks the raw zone, re-drives failures, or re-derives a dataset into a new generation. */
public enum ReplayMode {
    /** Read only: parts against their lineage, manifests against their parts, stored records against the source. */
    VERIFY,
    /**
     * The failure destinations (S3 DLQ, Kinesis on-failure queue, pull DLQ) through the ingest core again; with
     * {@code --quarantine}, quarantined records re-validated after a fix, each released one written once with a
     * release marker beside its quarantine part.
     */
    REDRIVE,
    /** A dataset re-derived from raw/ and quarantine/ through today's routing and validation, into a new generation. */
    REBUILD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the modes there are */
    public static ReplayMode parse(String text) {
        for (ReplayMode mode : values()) {
            if (mode.label().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown replay mode '" + text + "': use verify, redrive or rebuild");
    }
}
