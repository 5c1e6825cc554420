package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Parts of one writer that an attempt may have written without its ledger ever learning of them (it crashed, or its
 * put timed out after writing, before the ledger advance), found by listing their names: a part is named from its
 * first position in fixed-width base 36 ({@link KinesisPartNames}), so the names of the parts whose first position
 * lies in {@code [from, until)} are one range of keys under each date's folder. Their {@code position-last} says how
 * far the writer's records are durable. Used only when the ledger shows such an attempt may exist
 * ({@link ShardRun}): it costs a listing per writer and date, and a HEAD per part found.
 */
final class UnrecordedParts {
    private final ConditionalSink sink;

    UnrecordedParts(ConditionalSink sink) {
        this.sink = sink;
    }

    /**
     * The furthest {@code position-last} of the parts named {@code keyAt(date, p)} for one of {@code dates} and a
     * {@code p} in {@code [from, until)}. An object there without rawzone lineage is not a part of ours and is
     * passed over.
     */
    Optional<Position> reach(BiFunction<LocalDate, Position, String> keyAt, Position from, Position until,
                             Collection<LocalDate> dates) {
        Position furthest = null;
        for (String key : named(keyAt, from, until, dates)) {
            Optional<Position> last = sink.metadata(key).map(metadata -> metadata.get(Lineage.POSITION_LAST))
                    .map(Position::parse);
            if (last.isPresent() && (furthest == null || last.get().compareTo(furthest) > 0)) {
                furthest = last.get();
            }
        }
        return Optional.ofNullable(furthest);
    }

    /** The keys named {@code keyAt(date, p)} for one of {@code dates} and a {@code p} in {@code [from, until)}. */
    List<String> named(BiFunction<LocalDate, Position, String> keyAt, Position from, Position until,
                       Collection<LocalDate> dates) {
        List<String> named = new ArrayList<>();
        for (LocalDate date : dates) {
            String low = keyAt.apply(date, from);
            String high = keyAt.apply(date, until);
            for (String key : sink.keys(commonPrefix(low, high))) {
                if (key.compareTo(low) >= 0 && key.compareTo(high) < 0 && startsIn(key, from, until)) {
                    named.add(key);
                }
            }
        }
        return named;
    }

    /** The name is one of ours whose first position lies in the range (a name that does not read back is not). */
    private static boolean startsIn(String key, Position from, Position until) {
        try {
            Position first = KinesisPartNames.position(key);
            return first.compareTo(from) >= 0 && first.compareTo(until) < 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }
}
