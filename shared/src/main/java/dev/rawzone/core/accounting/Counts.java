package dev.rawzone.core.accounting;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of the records that entered: each one is written, quarantined, skipped as a duplicate, or failed
 * for retry, so {@code in == written + quarantined + duplicates + failed}.
 */
public record Counts(long in, long written, long quarantined, long duplicates, long failed) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    /** The counts as {@link #asMap()} writes them; a field not there is 0. */
    public static Counts fromJson(JsonNode counts) {
        return new Counts(counts.path("in").asLong(), counts.path("written").asLong(),
                counts.path("quarantined").asLong(), counts.path("duplicates").asLong(), counts.path("failed").asLong());
    }

    public Counts plus(Counts other) {
        return new Counts(in + other.in, written + other.written, quarantined + other.quarantined,
                duplicates + other.duplicates, failed + other.failed);
    }

    public boolean addsUp() {
        return in == written + quarantined + duplicates + failed;
    }

    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("in", in);
        map.put("written", written);
        map.put("quarantined", quarantined);
        map.put("duplicates", duplicates);
        map.put("failed", failed);
        return map;
    }
}
