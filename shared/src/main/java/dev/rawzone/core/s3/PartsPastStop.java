package dev.rawzone.core.s3;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.ConditionalSink;
import dev.rawzone.core.write.Lineage;
import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts an attempt at an object published past its furthest recorded stop and then crashed before it recorded
 * its own stop: their records are settled (written, or quarantined one by one), but no progress file lists them.
 * Part names derive from the object's stem and each part's first line, so a listing under the stem finds them, and
 * their lineage tells which lines each spans and how many records it holds.
 *
 * <p>Which lines they account for is known only where their records fill every line: a data part spans the lines
 * its segment's rejects sit on too, and if the crash came before the quarantine part holding those was written, a
 * line inside the span is held by no part. So the lines past the stop are accounted for up to the furthest line
 * through which the parts, taken in order from the stop, hold as many records as there are lines; a line-count
 * that is not a record-count (a blank line, a CSV record over two lines) ends it too, which costs nothing but
 * an earlier start for the unread rest.
 */
final class PartsPastStop {
    /** One part found: its key, the lines it spans, how many records it holds. */
    record Part(String key, boolean data, long first, long last, long records) {
    }

    static final String PART_SUFFIX = ".jsonl.gz";
    private static final Pattern PART_NAME_TAIL = Pattern.compile("[0-9]{12}" + Pattern.quote(PART_SUFFIX));

    private final long stop;
    private final List<Part> parts;

    PartsPastStop(long stop, List<Part> parts) {
        this.stop = stop;
        this.parts = parts.stream().sorted(Comparator.comparingLong(Part::first)).toList();
    }

    /**
     * The parts under {@code dataPrefixes} (one per schema version) and {@code quarantinePrefix} whose first line
     * is past {@code stop}; a prefix ends with {@code <stem>-}, after which a part's name is its 12-digit first line.
     */
    static PartsPastStop find(ConditionalSink raw, List<String> dataPrefixes, String quarantinePrefix, long stop) {
        List<Part> found = new ArrayList<>();
        for (String prefix : dataPrefixes) {
            found.addAll(partsUnder(raw, prefix, true, stop));
        }
        found.addAll(partsUnder(raw, quarantinePrefix, false, stop));
        return new PartsPastStop(stop, found);
    }

    private static List<Part> partsUnder(ConditionalSink raw, String prefix, boolean data, long stop) {
        List<Part> found = new ArrayList<>();
        for (String key : raw.keys(prefix)) {
            String tail = key.substring(prefix.length());
            if (!PART_NAME_TAIL.matcher(tail).matches()) {
                continue;
            }
            long first = Long.parseLong(tail.substring(0, 12));
            if (first > stop) {
                found.add(part(raw, key, data, first));
            }
        }
        return found;
    }

    private static Part part(ConditionalSink raw, String key, boolean data, long first) {
        Map<String, String> lineage = raw.metadata(key).orElseThrow(
                () -> new IllegalStateException("part " + key + " was listed but has no metadata"));
        String last = lineage.get(Lineage.POSITION_LAST);
        String records = lineage.get(Lineage.RECORD_COUNT);
        if (last == null || records == null) {
            throw new IllegalStateException("part " + key + " has no rawzone lineage; refusing to count it as ours");
        }
        return new Part(key, data, first, Position.parse(last).major().longValueExact(), Long.parseLong(records));
    }

    /**
     * The first line past the stop that the parts are not known to account for: every line from the stop to it
     * holds a record of one of them. Parts may lie beyond it (past a gap, or spanning a line no part holds).
     */
    long firstUnaccounted() {
        long through = stop;
        long closed = stop;
        long records = 0;
        for (Part part : parts) {
            if (part.first() > through + 1) {
                break;
            }
            through = Math.max(through, part.last());
            records += part.records();
            if (records == through - stop) {
                closed = through;
            }
        }
        return closed + 1;
    }

    /** The parts with a line at or after {@code line}: their lines are theirs, not the unread rest's. */
    List<Part> reachingTo(long line) {
        return parts.stream().filter(part -> part.last() >= line).toList();
    }

    long stop() {
        return stop;
    }

    boolean isEmpty() {
        return parts.isEmpty();
    }

    List<String> dataKeys() {
        return parts.stream().filter(Part::data).map(Part::key).toList();
    }

    List<String> quarantineKeys() {
        return parts.stream().filter(part -> !part.data()).map(Part::key).toList();
    }

    /** Their records as the object's manifest counts them: written, or quarantined. */
    Counts stored() {
        long written = parts.stream().filter(Part::data).mapToLong(Part::records).sum();
        long quarantined = parts.stream().filter(part -> !part.data()).mapToLong(Part::records).sum();
        return new Counts(written + quarantined, written, quarantined, 0, 0);
    }

    /** Their records as the invocation that finds them counts them: seen, already settled by another attempt. */
    Counts seen() {
        long records = stored().in();
        return new Counts(records, 0, 0, records, 0);
    }
}
