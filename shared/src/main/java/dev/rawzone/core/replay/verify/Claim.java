package dev.rawzone.core.replay.verify;

import dev.rawzone.core.write.Position;

import java.util.List;
import java.util.Optional;

/**
 * That a stored object holds source positions: a data part written by ingestion its range, a quarantine part each
 * entry's position, a release marker each position it released, a released or re-derived part each position its
 * marker names. A verify unit hands its claims to
 * {@link VerifyUnits#conclude} inside its result's {@code read} list (as text, so a result that went through the
 * Distributed Map as JSON still carries them), beside the keys it read.
 *
 * @param kind  what the object claims
 * @param scope the positions that must not be claimed twice: source identity, dataset and, for data parts, the
 *              schema version (derived parts share their version's scope); for quarantine entries, the quarantine (ingest or a rebuild's); for releases, the
 *              target version
 * @param key   the object that claims them
 */
record Claim(Kind kind, String scope, Position first, Position last, String key) {
    private static final String PREFIX = "claim\t";

    enum Kind {
        /** A data part written by ingestion covers [first, last]. */
        DATA,
        /** A quarantine entry holds the position {@code first}. */
        QUARANTINED,
        /** A release marker released the position {@code first} to the version in its scope. */
        RELEASED,
        /**
         * A part of the version in its scope holds the record at {@code first}, released or re-derived from
         * quarantine (as its release or rebuild marker names it).
         */
        DERIVED
    }

    static Claim at(Kind kind, String scope, Position position, String key) {
        return new Claim(kind, scope, position, position, key);
    }

    static String scope(String... parts) {
        return String.join(" ", parts);
    }

    /** As the {@code read} list carries it; scopes are lineage metadata (ASCII without tabs), keys come last. */
    String toText() {
        return PREFIX + kind + "\t" + scope + "\t" + first + "\t" + last + "\t" + key;
    }

    /** The claim a {@code read} entry carries, if it is one (the other entries are keys). */
    static Optional<Claim> fromText(String text) {
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] fields = text.substring(PREFIX.length()).split("\t", 5);
        return Optional.of(new Claim(Kind.valueOf(fields[0]), fields[1], Position.parse(fields[2]),
                Position.parse(fields[3]), fields[4]));
    }

    static List<Claim> in(List<String> read) {
        return read.stream().flatMap(text -> fromText(text).stream()).toList();
    }
}
