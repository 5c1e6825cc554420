package dev.rawzone.core.s3;

import dev.rawzone.core.accounting.Counts;
import dev.rawzone.core.write.InMemorySink;
import dev.rawzone.core.write.Lineage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Lines 1-12 read and recorded; what an attempt published past line 12 before it crashed. */
class PartsPastStopTest {
    private static final String DATA = "raw/s3/orders/schema=v1/dt=2026-12-03/obj-0123-";
    private static final String NEWER_DATA = "raw/s3/orders/schema=v2/dt=2026-12-03/obj-0123-";
    private static final String QUARANTINE = "quarantine/s3/orders/dt=2026-12-03/obj-0123-";
    private static final long STOP = 12;

    private final InMemorySink sink = new InMemorySink();

    @Test
    void withNoPartPastTheStopTheRestStartsRightAfterIt() {
        part(DATA, 9, 12, 4);

        PartsPastStop past = find();

        assertEquals(13, past.firstUnaccounted());
        assertEquals(List.of(), past.dataKeys(), "a part the recorded progress covers is not past the stop");
        assertEquals(Counts.ZERO, past.stored());
    }

    @Test
    void partsFillingEveryLineFromTheStopAccountForThemWhateverWriterHoldsALine() {
        part(DATA, 13, 16, 3);
        part(QUARANTINE, 14, 14, 1);
        part(NEWER_DATA, 17, 20, 4);

        PartsPastStop past = find();

        assertEquals(21, past.firstUnaccounted());
        assertEquals(List.of(DATA + name(13), NEWER_DATA + name(17)), past.dataKeys());
        assertEquals(List.of(QUARANTINE + name(14)), past.quarantineKeys());
        assertEquals(new Counts(8, 7, 1, 0, 0), past.stored());
        assertEquals(new Counts(8, 0, 0, 8, 0), past.seen());
        assertEquals(List.of(), past.reachingTo(21));
    }

    @Test
    void aLineInsideAPartsSpanThatNoPartHoldsIsUnaccountedForAndSoIsEverythingAfterIt() {
        part(DATA, 13, 16, 3);
        part(DATA, 17, 20, 4);

        PartsPastStop past = find();

        assertEquals(13, past.firstUnaccounted(), "line 14 may be a reject whose quarantine part was never written");
        assertEquals(2, past.reachingTo(13).size(), "both parts are still settled, and their lines theirs");
        assertEquals(new Counts(7, 7, 0, 0, 0), past.stored());
    }

    @Test
    void theLinesAfterAGapAreUnaccountedForButThePartsBeyondItAreStillCounted() {
        part(DATA, 13, 16, 4);
        part(QUARANTINE, 21, 24, 4);

        PartsPastStop past = find();

        assertEquals(17, past.firstUnaccounted());
        assertEquals(List.of(QUARANTINE + name(21)), past.reachingTo(17).stream().map(PartsPastStop.Part::key).toList());
        assertEquals(new Counts(8, 4, 4, 0, 0), past.stored());
    }

    @Test
    void theUnreadRestOfAnEarlierAttemptAndOtherObjectsInTheFolderAreNotParts() {
        sink.putIfAbsent(QUARANTINE + String.format("%012d", 13) + S3ObjectIngester.REST_SUFFIX, new byte[0],
                lineage(13, 13, 1));
        sink.putIfAbsent(QUARANTINE.replace("obj-0123-", "obj-0123-extra-") + name(13), new byte[0], lineage(13, 13, 1));
        sink.putIfAbsent(QUARANTINE.replace("obj-0123-", "obj-0123.object"), new byte[0], Map.of());

        assertEquals(List.of(), find().quarantineKeys());
    }

    @Test
    void aPartWithoutLineageIsRefusedRatherThanCounted() {
        sink.putIfAbsent(DATA + name(13), new byte[0], Map.of("source", "s3"));

        assertThrows(IllegalStateException.class, this::find);
    }

    private PartsPastStop find() {
        return PartsPastStop.find(sink, List.of(DATA, NEWER_DATA), QUARANTINE, STOP);
    }

    private void part(String prefix, long first, long last, int records) {
        sink.putIfAbsent(prefix + name(first), new byte[0], lineage(first, last, records));
    }

    private static Map<String, String> lineage(long first, long last, int records) {
        return Map.of(Lineage.POSITION_FIRST, Long.toString(first), Lineage.POSITION_LAST, Long.toString(last),
                Lineage.RECORD_COUNT, Integer.toString(records));
    }

    private static String name(long first) {
        return String.format("%012d", first) + PartsPastStop.PART_SUFFIX;
    }
}
