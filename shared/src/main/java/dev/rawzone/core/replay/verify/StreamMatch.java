package dev.rawzone.core.replay.verify;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.kinesis.UserRecord;
import dev.rawzone.core.read.RecordText;
import dev.rawzone.core.replay.redrive.ShardRangeReader;
import dev.rawzone.core.write.Position;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what parts of one shard hold with the shard's records as a re-read of the stream returns them (its user
 * records, de-aggregated, in position order, over the parts' whole range).
 * <ul>
 *   <li>A quarantine entry's record is the stream's at its position.</li>
 *   <li>A data part keeps no position per line, and the records of its range may also belong to other writers (a
 *       stream routed to several datasets, its quarantine). So each line takes, in order, the first record of its
 *       range not yet held whose stored text is the same bytes; equal text routes to the same writer. A line that
 *       finds none differs: from the first record not held between its neighbours' records, when the unit sees
 *       every part of the shard (otherwise that record may be another part's).</li>
 *   <li>A record inside a part's range that no part line and no entry holds is missing; when the unit does not see
 *       every part of the shard (a selection by dataset or date), it may be in another one, and is only noted.</li>
 * </ul>
 * Problems name positions, lengths and SHA-256 prefixes, never the data. Positions the stream no longer holds
 * ({@code lost}) are not compared.
 */
final class StreamMatch {
    private static final int HASH_CHARS = 16;
    private static final int LISTED = 5;

    private final List<UserRecord> stream;
    private final List<ShardRangeReader.Lost> lost;
    private final boolean wholeShard;
    private final Map<Position, Integer> index = new HashMap<>();
    private final byte[][] texts;
    private final boolean[] held;

    private StreamMatch(List<UserRecord> stream, List<ShardRangeReader.Lost> lost, boolean wholeShard) {
        this.stream = stream;
        this.lost = lost;
        this.wholeShard = wholeShard;
        this.texts = new byte[stream.size()][];
        this.held = new boolean[stream.size()];
        for (int i = 0; i < stream.size(); i++) {
            index.putIfAbsent(stream.get(i).position(), i);
        }
    }

    static void compare(StoredShard shard, List<UserRecord> stream, List<ShardRangeReader.Lost> lost,
                        boolean wholeShard, Findings findings) {
        StreamMatch match = new StreamMatch(stream, lost, wholeShard);
        shard.entries().forEach(entry -> match.entry(entry, findings));
        List<StoredShard.DataPart> parts = new ArrayList<>(shard.data());
        parts.sort(Comparator.comparing(StoredShard.DataPart::first));
        List<int[]> lines = parts.stream().map(match::sameText).toList();
        for (int p = 0; p < parts.size(); p++) {
            match.differing(parts.get(p), lines.get(p), findings);
        }
        match.unheld(ranges(parts, shard.entries()), findings);
    }

    private void entry(StoredShard.Entry entry, Findings findings) {
        Integer at = index.get(entry.position());
        if (at == null) {
            if (!isLost(entry.position().major(), entry.position().major())) {
                findings.differs("position " + entry.position() + " in " + entry.key() + ": the stream holds no record"
                        + " there");
            }
            return;
        }
        held[at] = true;
        byte[] source = entry.text() ? text(at) : stream.get(at).data();
        entry.payload().filter(stored -> !Arrays.equals(stored, source)).ifPresent(stored ->
                findings.differs(differs("position " + entry.position() + " in " + entry.key(), stored, source)));
    }

    /** Each line's record: the first in its range, after the previous line's, not held and of equal text; or -1. */
    private int[] sameText(StoredShard.DataPart part) {
        int[] records = new int[part.lines().size()];
        int next = from(part.first());
        int end = until(part.last());
        for (int line = 0; line < records.length; line++) {
            records[line] = -1;
            for (int i = next; i < end; i++) {
                if (!held[i] && Arrays.equals(part.lines().get(line), text(i))) {
                    held[i] = true;
                    records[line] = i;
                    next = i + 1;
                    break;
                }
            }
        }
        return records;
    }

    private void differing(StoredShard.DataPart part, int[] records, Findings findings) {
        int previous = from(part.first()) - 1;
        for (int line = 0; line < records.length; line++) {
            if (records[line] >= 0) {
                previous = records[line];
                continue;
            }
            int bound = until(part.last());
            for (int later = line + 1; later < records.length; later++) {
                if (records[later] >= 0) {
                    bound = records[later];
                    break;
                }
            }
            int record = wholeShard ? firstUnheld(previous + 1, bound) : -1;
            String where = "line " + (line + 1) + " of " + part.key();
            byte[] stored = part.lines().get(line);
            if (record >= 0) {
                held[record] = true;
                previous = record;
                findings.differs(differs("position " + stream.get(record).position() + ", " + where, stored,
                        text(record)));
            } else if (!isLost(part.first().major(), part.last().major())) {
                findings.differs(where + ": stored " + stored.length + " bytes (sha256 " + hash(stored) + "), which no"
                        + " record of the stream in " + part.first() + ".." + part.last() + " holds");
            }
        }
    }

    /** The stream's records inside a part's range that nothing holds, by the first part whose range holds them. */
    private void unheld(Map<String, Position[]> ranges, Findings findings) {
        boolean[] told = new boolean[stream.size()];
        ranges.forEach((key, range) -> {
            List<Position> positions = new ArrayList<>();
            int end = until(range[1]);
            for (int i = from(range[0]); i < end; i++) {
                if (!held[i] && !told[i]) {
                    told[i] = true;
                    positions.add(stream.get(i).position());
                }
            }
            if (positions.isEmpty()) {
                return;
            }
            String what = "the stream holds " + listed(positions) + " inside the range of " + key
                    + " in no part and no quarantine entry";
            if (wholeShard) {
                findings.missing(what);
            } else {
                findings.note(what + " of this selection (a part outside it may hold them)");
            }
        });
    }

    private static Map<String, Position[]> ranges(List<StoredShard.DataPart> parts, List<StoredShard.Entry> entries) {
        Map<String, Position[]> ranges = new LinkedHashMap<>();
        parts.forEach(part -> ranges.put(part.key(), new Position[] {part.first(), part.last()}));
        for (StoredShard.Entry entry : entries) {
            Position[] range = ranges.computeIfAbsent(entry.key(), k -> new Position[] {entry.position(),
                    entry.position()});
            range[0] = range[0].compareTo(entry.position()) <= 0 ? range[0] : entry.position();
            range[1] = range[1].compareTo(entry.position()) >= 0 ? range[1] : entry.position();
        }
        return ranges;
    }

    private static String listed(List<Position> positions) {
        String first = String.join(", ", positions.stream().limit(LISTED).map(Position::toString).toList());
        return (positions.size() == 1 ? "position " : positions.size() + " positions ") + first
                + (positions.size() > LISTED ? ", ..." : "");
    }

    private static String differs(String where, byte[] stored, byte[] source) {
        return where + ": stored " + stored.length + " bytes (sha256 " + hash(stored) + "), the stream holds "
                + source.length + " bytes (sha256 " + hash(source) + ")";
    }

    private static String hash(byte[] bytes) {
        return KeyParts.sha256Hex(bytes).substring(0, HASH_CHARS);
    }

    /** The record's text as a data part stores it. */
    private byte[] text(int i) {
        if (texts[i] == null) {
            byte[] data = stream.get(i).data();
            texts[i] = RecordText.of(data, 0, data.length);
        }
        return texts[i];
    }

    private int firstUnheld(int from, int until) {
        for (int i = from; i < until; i++) {
            if (!held[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first record at or after {@code position}. */
    private int from(Position position) {
        return bound(position, false);
    }

    /** The index past the last record at or before {@code position}. */
    private int until(Position position) {
        return bound(position, true);
    }

    private int bound(Position position, boolean past) {
        int low = 0;
        int high = stream.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            int order = stream.get(middle).position().compareTo(position);
            if (order < 0 || past && order == 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private boolean isLost(BigInteger first, BigInteger last) {
        return lost.stream().anyMatch(gone -> gone.first().compareTo(last) <= 0 && gone.last().compareTo(first) >= 0);
    }
}
