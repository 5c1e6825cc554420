package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.write.ConditionalSink;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The release markers beside a quarantine part ({@code <part key>.released-v<N>.json}): which of its entries
 * (by 1-based line in the part, {@code entries}) a quarantine release wrote into generation v<N>.
 */
public final class ReleaseMarkers {
    public static final String ENTRIES = "entries";
    private static final Pattern VERSION_SUFFIX = Pattern.compile("[0-9]+\\.json");

    private final ConditionalSink raw;
    private final DerivedParts derived;

    public ReleaseMarkers(ConditionalSink raw, DerivedParts derived) {
        this.raw = raw;
        this.derived = derived;
    }

    /** The entries released into generation {@code version}. */
    public Set<Integer> releasedTo(PartKey part, int version) {
        Set<Integer> entries = new TreeSet<>();
        derived.marker(part.releaseMarker(version)).ifPresent(marker -> add(marker, entries));
        return entries;
    }

    /** The entries any release so far wrote, into whichever generation. */
    public Set<Integer> releasedAny(PartKey part) {
        Set<Integer> entries = new TreeSet<>();
        String prefix = part.releaseMarkerPrefix();
        for (String key : raw.keys(prefix)) {
            if (VERSION_SUFFIX.matcher(key.substring(prefix.length())).matches()) {
                derived.marker(key).ifPresent(marker -> add(marker, entries));
            }
        }
        return entries;
    }

    private static void add(JsonNode marker, Set<Integer> entries) {
        marker.path(ENTRIES).forEach(entry -> entries.add(entry.asInt()));
    }
}
