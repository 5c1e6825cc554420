package dev.rawzone.core.replay.rederive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.write.ConditionalSink;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The release markers beside a quarantine part ({@code <part key>.released-v<N>.json}): which of its entries a
 * quarantine release wrote into generation v<N>. An entry is named by its identity ({@code released}): its source
 * position where it has one, else the SHA-256 of its record's bytes (of the entry's, when it has no record), so that the name does not depend on the
 * entry's line in the part. Markers written before identities list 1-based lines ({@code entries}) instead; they
 * are read as they are, against the part they sit beside (a part is write-once, so its lines never move).
 */
public final class ReleaseMarkers {
    public static final String RELEASED = "released";
    public static final String LINES = "entries";
    /** The source positions of the released entries that have one. */
    public static final String POSITIONS = "positions";
    private static final Pattern VERSION_SUFFIX = Pattern.compile("[0-9]+\\.json");

    /** The entries some markers name, by identity or (old markers) by line. */
    public record Released(Set<String> identities, Set<Integer> lines) {
        public static final Released NONE = new Released(Set.of(), Set.of());

        public boolean contains(int line, String identity) {
            return lines.contains(line) || identities.contains(identity);
        }

        public int size() {
            return identities.size() + lines.size();
        }

        public boolean isEmpty() {
            return size() == 0;
        }
    }

    private final ConditionalSink raw;
    private final DerivedParts derived;

    public ReleaseMarkers(ConditionalSink raw, DerivedParts derived) {
        this.raw = raw;
        this.derived = derived;
    }

    /** An entry's identity: its position, or {@code sha256:<hex>} of its record's bytes when it has none. */
    public static String identity(Revalidation.Checked checked) {
        return checked.position().map(Object::toString)
                .orElseGet(() -> "sha256:" + KeyParts.sha256Hex(checked.record() != null ? checked.record() : checked.entry()));
    }

    /** The entries released into generation {@code version}. */
    public Released releasedTo(PartKey part, int version) {
        Released released = new Released(new TreeSet<>(), new TreeSet<>());
        derived.marker(part.releaseMarker(version)).ifPresent(marker -> add(marker, released));
        return released;
    }

    /** The entries a release wrote into any generation but {@code version}. */
    public Released releasedElsewhere(PartKey part, int version) {
        Released released = new Released(new TreeSet<>(), new TreeSet<>());
        String prefix = part.releaseMarkerPrefix();
        for (String key : raw.keys(prefix)) {
            if (VERSION_SUFFIX.matcher(key.substring(prefix.length())).matches() && !key.equals(part.releaseMarker(version))) {
                derived.marker(key).ifPresent(marker -> add(marker, released));
            }
        }
        return released;
    }

    /** How many entries a marker names, in either format. */
    public static int count(JsonNode marker) {
        return marker.has(RELEASED) ? marker.path(RELEASED).size() : marker.path(LINES).size();
    }

    private static void add(JsonNode marker, Released released) {
        marker.path(RELEASED).forEach(entry -> released.identities().add(entry.asText()));
        marker.path(LINES).forEach(entry -> released.lines().add(entry.asInt()));
    }
}
