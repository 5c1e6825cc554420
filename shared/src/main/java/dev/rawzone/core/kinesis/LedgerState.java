package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a shard stands in the raw zone.
 * <ul>
 *   <li>{@code through}: every user record at or below this position is settled (written, quarantined or a known
 *       duplicate), so a re-delivered record at or below it is skipped without any S3 call;</li>
 *   <li>{@code coverage}: per part writer (a dataset's schema version, or a dataset's quarantine), the last
 *       position that a durable part of that writer reaches, where that is beyond {@code through}. Records of
 *       that writer up to there are in the raw zone even though earlier records of other writers may not be
 *       (a partial failure), or even though they lie beyond the batch that found the part (a crash, then a
 *       bisected retry whose first half finds a part written by the crashed attempt for the whole batch).</li>
 * </ul>
 * Both only ever grow: {@link #merge} takes the larger of each, which is what a concurrent writer's state and ours
 * both vouch for.
 */
public record LedgerState(Optional<Position> through, Map<String, Position> coverage) {
    static final String THROUGH = "through";
    static final String COVER_PREFIX = "cover:";

    public static final LedgerState EMPTY = new LedgerState(Optional.empty(), Map.of());

    public LedgerState {
        Objects.requireNonNull(through, "through");
        Map<String, Position> pruned = new TreeMap<>();
        coverage.forEach((writer, last) -> {
            if (through.isEmpty() || last.compareTo(through.get()) > 0) {
                pruned.put(writer, last);
            }
        });
        coverage = Map.copyOf(pruned);
    }

    public boolean settled(Position position) {
        return through.isPresent() && position.compareTo(through.get()) <= 0;
    }

    public boolean covered(String writer, Position position) {
        Position last = coverage.get(writer);
        return last != null && position.compareTo(last) <= 0;
    }

    public LedgerState merge(LedgerState other) {
        Optional<Position> mergedThrough = max(through, other.through);
        Map<String, Position> merged = new HashMap<>(coverage);
        other.coverage.forEach((writer, last) -> merged.merge(writer, last, (a, b) -> a.compareTo(b) >= 0 ? a : b));
        return new LedgerState(mergedThrough, merged);
    }

    public Map<String, String> toMap() {
        Map<String, String> state = new TreeMap<>();
        through.ifPresent(position -> state.put(THROUGH, position.toString()));
        coverage.forEach((writer, last) -> state.put(COVER_PREFIX + writer, last.toString()));
        return state;
    }

    /** Reads what {@link #toMap} wrote; an unreadable value is an IllegalArgumentException (a corrupt ledger). */
    public static LedgerState fromMap(Map<String, String> state) {
        Optional<Position> through = Optional.ofNullable(state.get(THROUGH)).map(Position::parse);
        Map<String, Position> coverage = new HashMap<>();
        state.forEach((name, value) -> {
            if (name.startsWith(COVER_PREFIX)) {
                coverage.put(name.substring(COVER_PREFIX.length()), Position.parse(value));
            }
        });
        return new LedgerState(through, coverage);
    }

    private static Optional<Position> max(Optional<Position> a, Optional<Position> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().compareTo(b.get()) >= 0 ? a : b;
    }
}
