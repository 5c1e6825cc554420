package dev.rawzone.core.write;

import dev.rawzone.core.identity.KeyParts;
import dev.rawzone.core.identity.SourceIdentity;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PartWriterTest {
    private static final Lineage LINEAGE = new Lineage(new SourceIdentity("s3", "s3://landing/in/é.jsonl", "e-0123"),
            "orders", "orders/v1", 1, "1.0.0", "run-1");

    private final InMemorySink sink = new InMemorySink();
    private final Counter counter = new Counter();

    @Test
    void rotatesByRecordCountAndNamesPartsByTheirFirstPosition() {
        List<PublishedPart> parts = write(sink, new PartPolicy(4, 1 << 20), 1, 10);

        assertEquals(List.of("part-1", "part-5", "part-9"), parts.stream().map(PublishedPart::key).toList());
        assertEquals(List.of(4, 4, 2), parts.stream().map(PublishedPart::records).toList());
        assertEquals(10, counter.published);
        assertEquals(List.of("1", "2", "3", "4"), linesOf("part-1"));
    }

    @Test
    void rotatesByUncompressedBytes() {
        List<PublishedPart> parts = write(sink, new PartPolicy(1000, 2 * lineFor(1).length + 2), 1, 5);

        assertEquals(List.of("part-1", "part-3", "part-5"), parts.stream().map(PublishedPart::key).toList());
    }

    @Test
    void aRerunWritesNothingAndCountsEveryRecordAsDuplicate() {
        write(sink, new PartPolicy(4, 1 << 20), 1, 10);
        Counter rerun = new Counter();

        List<PublishedPart> parts = write(sink, new PartPolicy(4, 1 << 20), rerun, 1, 10);

        assertEquals(0, rerun.published);
        assertEquals(10, rerun.duplicates);
        assertEquals(3, sink.objects().size());
        assertEquals(List.of(false, false, false), parts.stream().map(PublishedPart::created).toList());
    }

    @Test
    void aRerunWithSmallerPartsSkipsWhatLargerPartsAlreadyCover() {
        write(sink, new PartPolicy(4, 1 << 20), 1, 10);
        Counter rerun = new Counter();

        write(sink, new PartPolicy(3, 1 << 20), rerun, 1, 10);

        assertEquals(0, rerun.published);
        assertEquals(10, rerun.duplicates);
        assertEquals(3, sink.objects().size());
    }

    @Test
    void aRerunAfterACrashWritesOnlyTheMissingRecordsEvenWithLargerParts() {
        write(sink, new PartPolicy(4, 1 << 20), 1, 4);
        Counter rerun = new Counter();

        write(sink, new PartPolicy(10, 1 << 20), rerun, 1, 10);

        assertEquals(6, rerun.published);
        assertEquals(4, rerun.duplicates);
        List<String> all = new ArrayList<>(linesOf("part-1"));
        all.addAll(linesOf("part-5"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), all);
    }

    @Test
    void equalRecordsGiveEqualBytesSoRewritesAreByteIdentical() {
        InMemorySink other = new InMemorySink();
        write(sink, new PartPolicy(4, 1 << 20), 1, 10);
        write(other, new PartPolicy(4, 1 << 20), new Counter(), 1, 10);

        assertArrayEquals(sink.read("part-5").orElseThrow(), other.read("part-5").orElseThrow());
    }

    @Test
    void everyPartCarriesItsLineage() {
        write(sink, new PartPolicy(4, 1 << 20), 1, 6);

        Map<String, String> metadata = sink.metadata("part-5").orElseThrow();
        assertEquals("5", metadata.get(Lineage.POSITION_FIRST));
        assertEquals("6", metadata.get(Lineage.POSITION_LAST));
        assertEquals("2", metadata.get(Lineage.RECORD_COUNT));
        assertEquals(KeyParts.sha256Hex(sink.read("part-5").orElseThrow()), metadata.get(Lineage.CONTENT_SHA256));
        assertEquals("s3://landing/in/%C3%A9.jsonl", metadata.get("source-identity"));
        assertEquals("orders/v1", metadata.get("schema-id"));
        assertEquals("1", metadata.get("schema-version"));
        assertEquals("run-1", metadata.get("run-id"));
    }

    @Test
    void positionsThatDoNotIncreaseAreRefused() {
        PartWriter writer = writer(sink, new PartPolicy(4, 1 << 20), counter);
        writer.add(Position.of(2), lineFor(2));

        assertThrows(IllegalArgumentException.class, () -> writer.add(Position.of(2), lineFor(2)));
    }

    @Test
    void aKeyTakenByAnObjectWithoutLineageIsNotTakenForOurs() {
        sink.putIfAbsent("part-1", new byte[] {1}, Map.of());
        PartWriter writer = writer(sink, new PartPolicy(4, 1 << 20), counter);
        writer.add(Position.of(1), lineFor(1));

        assertThrows(IllegalStateException.class, writer::finish);
    }

    @Test
    void theGzipLevelChangesThePartsBytesNotItsLines() {
        InMemorySink fastest = new InMemorySink();
        write(fastest, new PartPolicy(100, 1 << 20, 1), new Counter(), 1, 50);
        write(sink, new PartPolicy(100, 1 << 20, 9), 1, 50);

        assertFalse(Arrays.equals(fastest.read("part-1").orElseThrow(), sink.read("part-1").orElseThrow()));
        assertEquals(gunzip(fastest.read("part-1").orElseThrow()), gunzip(sink.read("part-1").orElseThrow()));
    }

    @Test
    void linesLongerThanTheBuffersChunksComeBackWholeFromReusedBuffersAndAfterATakeOver() {
        write(sink, new PartPolicy(3, 1 << 30), new Counter(), 1, 3, PartWriterTest::longLine);
        Counter rerun = new Counter();

        List<PublishedPart> parts = write(sink, new PartPolicy(5, 1 << 30), rerun, 1, 12, PartWriterTest::longLine);

        assertEquals(List.of("part-1", "part-4", "part-6", "part-11"), parts.stream().map(PublishedPart::key).toList());
        assertEquals(3, rerun.duplicates);
        StringBuilder expected = new StringBuilder();
        for (int i = 4; i <= 12; i++) {
            expected.append(new String(longLine(i), StandardCharsets.UTF_8)).append('\n');
        }
        String stored = gunzip(sink.read("part-4").orElseThrow()) + gunzip(sink.read("part-6").orElseThrow())
                + gunzip(sink.read("part-11").orElseThrow());
        assertEquals(expected.toString(), stored);
    }

    @Test
    void inTheBackgroundTheSamePartsAreWrittenByteForByte() {
        write(sink, new PartPolicy(4, 1 << 20), 1, 10);
        InMemorySink background = new InMemorySink();
        Counter counted = new Counter();

        PartWriter writer = writer(background, new PartPolicy(4, 1 << 20), counted, PartPublisher.inBackground());
        for (int i = 1; i <= 10; i++) {
            writer.add(Position.of(i), lineFor(i));
        }
        List<PublishedPart> parts = writer.finish();

        assertEquals(List.of("part-1", "part-5", "part-9"), parts.stream().map(PublishedPart::key).toList());
        assertEquals(10, counted.published);
        assertEquals(sink.objects().keySet(), background.objects().keySet());
        for (String key : sink.objects().keySet()) {
            assertArrayEquals(sink.read(key).orElseThrow(), background.read(key).orElseThrow(), key);
        }
    }

    @Test
    void inTheBackgroundRecordsBufferedWhileAnExistingLongerPartWasFoundAreDuplicatesNotASecondCopy() {
        write(sink, new PartPolicy(10, 1 << 20), 1, 10);
        Counter rerun = new Counter();

        // part-1 (lines 1-4) is in flight, and found to reach line 10, while lines 5-8 fill the next part
        PartWriter writer = writer(sink, new PartPolicy(4, 1 << 20), rerun, PartPublisher.inBackground());
        for (int i = 1; i <= 12; i++) {
            writer.add(Position.of(i), lineFor(i));
        }
        writer.finish();

        assertEquals(Set.of("part-1", "part-11"), sink.objects().keySet());
        assertEquals(10, rerun.duplicates);
        assertEquals(2, rerun.published);
    }

    @Test
    void aBackgroundWriteThatFailsFailsTheWriterAndNothingQueuedBehindItIsWritten() {
        IllegalStateException refused = new IllegalStateException("S3 said no");
        ConditionalSink failing = new FailingOn("a-1", refused, sink);
        PartPublisher publisher = PartPublisher.inBackground();
        Counter other = new Counter();
        PartWriter first = new PartWriter(failing, position -> "a-" + position, new PartPolicy(2, 1 << 20), LINEAGE,
                counter, publisher);
        PartWriter second = new PartWriter(failing, position -> "b-" + position, new PartPolicy(2, 1 << 20), LINEAGE,
                other, publisher);

        first.add(Position.of(1), lineFor(1));
        first.add(Position.of(2), lineFor(2));
        second.add(Position.of(1), lineFor(1));
        second.add(Position.of(2), lineFor(2));

        assertSame(refused, assertThrows(IllegalStateException.class, second::finish));
        assertSame(refused, assertThrows(IllegalStateException.class, first::finish));
        assertEquals(Map.of(), sink.objects());
        assertEquals(0, counter.published + other.published);
    }

    private List<PublishedPart> write(InMemorySink target, PartPolicy policy, int from, int to) {
        return write(target, policy, counter, from, to);
    }

    private static List<PublishedPart> write(InMemorySink target, PartPolicy policy, Counter outcomes, int from, int to) {
        return write(target, policy, outcomes, from, to, PartWriterTest::lineFor);
    }

    private static List<PublishedPart> write(InMemorySink target, PartPolicy policy, Counter outcomes, int from, int to,
                                             IntFunction<byte[]> line) {
        PartWriter writer = writer(target, policy, outcomes);
        for (int i = from; i <= to; i++) {
            writer.add(Position.of(i), line.apply(i));
        }
        return writer.finish();
    }

    /** Lines from 10 KiB to 150 KiB, so that parts span several of the buffer's chunks and lines straddle them. */
    private static byte[] longLine(int i) {
        return ("{\"n\":\"" + i + "\",\"pad\":\"" + Integer.toString(i, 36).repeat(10_000 * (1 + i % 15)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static PartWriter writer(InMemorySink target, PartPolicy policy, Counter outcomes) {
        return writer(target, policy, outcomes, PartPublisher.inCallerThread());
    }

    private static PartWriter writer(InMemorySink target, PartPolicy policy, Counter outcomes,
                                     PartPublisher publisher) {
        return new PartWriter(target, first -> "part-" + first, policy, LINEAGE, outcomes, publisher);
    }

    private static byte[] lineFor(int i) {
        return ("{\"n\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> linesOf(String key) {
        return gunzip(sink.read(key).orElseThrow()).lines().map(line -> line.replaceAll("\\D", "")).toList();
    }

    private static String gunzip(byte[] part) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(part))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Refuses the write of one key with the given exception; everything else goes to {@code target}. */
    private static final class FailingOn extends ForwardingSink {
        private final String key;
        private final RuntimeException refusal;

        FailingOn(String key, RuntimeException refusal, ConditionalSink target) {
            super(target);
            this.key = key;
            this.refusal = refusal;
        }

        @Override
        public PutOutcome putIfAbsent(String written, byte[] body, Map<String, String> metadata) {
            if (written.equals(key)) {
                throw refusal;
            }
            return super.putIfAbsent(written, body, metadata);
        }
    }

    private static final class Counter implements PartWriter.Outcomes {
        int published;
        int duplicates;

        @Override
        public void published(int records) {
            published += records;
        }

        @Override
        public void duplicates(int records) {
            duplicates += records;
        }
    }
}
