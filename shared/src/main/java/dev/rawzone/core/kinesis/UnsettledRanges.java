package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The positions a ledger does not vouch for, as sorted, disjoint ranges {@code [from, to)} (the last one has no end:
 * everything past {@code through}), each with the coverage that holds inside it. Two ledgers' claims combine by
 * intersecting these ranges: a position is settled when either side settled it, never otherwise, and inside each
 * piece both sides' coverage holds, so the larger reach per writer is kept.
 */
record UnsettledRanges(List<Range> ranges) {
    static final Position FIRST = Position.of(0);

    /** {@code to == null}: no end. */
    record Range(Position from, Position to, Map<String, Position> coverage) {
    }

    static UnsettledRanges of(LedgerState state) {
        List<Range> ranges = new ArrayList<>();
        for (LedgerState.Hole hole : state.holes()) {
            ranges.add(new Range(hole.from(), hole.to(), hole.coverage()));
        }
        ranges.add(new Range(state.through().map(UnsettledRanges::after).orElse(FIRST), null, state.coverage()));
        return new UnsettledRanges(ranges);
    }

    /** The smallest position after {@code position}. */
    static Position after(Position position) {
        return new Position(position.major(), position.minor() + 1);
    }

    UnsettledRanges intersect(UnsettledRanges other) {
        List<Range> both = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            Range a = ranges.get(i);
            Range b = other.ranges.get(j);
            Position from = max(a.from, b.from);
            Position to = a.to == null ? b.to : b.to == null ? a.to : min(a.to, b.to);
            if (to == null || from.compareTo(to) < 0) {
                both.add(new Range(from, to, furthest(a.coverage, b.coverage)));
            }
            if (to == null) {
                break;
            }
            if (to.equals(a.to)) {
                i++;
            }
            if (to.equals(b.to)) {
                j++;
            }
        }
        return new UnsettledRanges(both);
    }

    /** The ranges with an end: the holes below {@code through}. */
    List<LedgerState.Hole> holes() {
        return ranges.stream().filter(range -> range.to != null)
                .map(range -> new LedgerState.Hole(range.from, range.to, range.coverage)).toList();
    }

    /** The coverage past {@code through}. */
    Map<String, Position> open() {
        return ranges.get(ranges.size() - 1).coverage();
    }

    private static Map<String, Position> furthest(Map<String, Position> a, Map<String, Position> b) {
        Map<String, Position> merged = new HashMap<>(a);
        b.forEach((writer, last) -> merged.merge(writer, last, UnsettledRanges::max));
        return merged;
    }

    private static Position max(Position a, Position b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Position min(Position a, Position b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
