package dev.rawzone.simulation.audit;

/**
 * One record found in the raw zone: where it is, and its line exactly as stored. {@code place} is {@code raw}
 * (a data part), {@code quarantine} (an entry of a quarantine part) or {@code whole} (a line of a whole object
 * kept in quarantine, at or after the line its verdict covers from).
 */
public record StoredRecord(String place, String key, String versionId, byte[] line) {
    public static final String RAW = "raw";
    public static final String QUARANTINE = "quarantine";
    public static final String WHOLE = "whole";

    public String where() {
        return place + " " + key + " (version " + versionId + ")";
    }
}
