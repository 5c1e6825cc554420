package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.concat;
import static dev.rawzone.core.read.ReadFixtures.gzip;
import static dev.rawzone.core.read.ReadFixtures.open;
import static dev.rawzone.core.read.ReadFixtures.parsed;
import static dev.rawzone.core.read.ReadFixtures.readAll;
import static dev.rawzone.core.read.ReadFixtures.rejected;
import static dev.rawzone.core.read.ReadFixtures.utf8;
import static dev.rawzone.core.read.SourceFormat.CSV;
import static dev.rawzone.core.read.SourceFormat.JSON_LINES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordReadersTest {

    @ParameterizedTest
    @EnumSource(SourceFormat.class)
    void binaryContentIsUnreadableBeforeAnyRecord(SourceFormat format) {
        byte[] content = concat(utf8("id,name\n{\"id\":1}\n"), new byte[] {0, 1, 2, (byte) 0xFF});

        UnreadableObjectException plain = assertThrows(UnreadableObjectException.class, () -> open(format, content));
        UnreadableObjectException gzipped =
                assertThrows(UnreadableObjectException.class, () -> open(format, gzip(content)));

        assertEquals("binary content, not text", plain.reason());
        assertEquals(0L, plain.line());
        assertEquals("binary content, not text", gzipped.reason());
    }

    @Test
    void nulByteAfterTheFirst8KiBIsJustABadRecord() throws IOException {
        String filler = "{\"pad\":\"" + "x".repeat(8_200) + "\"}\n";
        List<ReadResult> results = readAll(JSON_LINES, concat(utf8(filler + "{\"a\":\""), new byte[] {0}, utf8("\"}\n")));

        assertEquals(1L, parsed(results.get(0)).line());
        assertEquals(2L, rejected(results.get(1)).line());
    }

    @Test
    void truncatedGzipReadsEveryCompleteLineThenFailsAtTheLineReached() throws IOException {
        byte[] whole = gzip(utf8(numberedJsonLines(20_000)));
        byte[] truncated = Arrays.copyOf(whole, whole.length * 3 / 5);
        long completeLines = completeLinesBeforeFailure(truncated);

        List<ReadResult> read = new ArrayList<>();
        UnreadableObjectException e;
        try (RecordReader reader = open(JSON_LINES, truncated)) {
            e = assertThrows(UnreadableObjectException.class, () -> {
                for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
                    read.add(next.get());
                }
            });
        }

        assertTrue(completeLines > 8_000, "truncated at line " + completeLines);
        assertEquals(completeLines, read.size());
        assertEquals(completeLines, parsed(read.get(read.size() - 1)).line());
        assertEquals(completeLines + 1, e.line());
        assertEquals("gzip stream truncated at line " + (completeLines + 1), e.reason());
    }

    @Test
    void gzipTruncatedWithinItsFirstBytesFailsOnOpen() {
        byte[] whole = gzip(utf8("a,b\n1,2\n"));

        UnreadableObjectException headerCut = assertThrows(
                UnreadableObjectException.class, () -> open(CSV, Arrays.copyOf(whole, 2)));
        UnreadableObjectException dataCut = assertThrows(
                UnreadableObjectException.class, () -> open(CSV, Arrays.copyOf(whole, 10)));

        assertEquals("gzip stream truncated at line 1", headerCut.reason());
        assertEquals(1L, headerCut.line());
        assertEquals("gzip stream truncated at line 1", dataCut.reason());
    }

    @Test
    void corruptGzipTrailerFailsAfterTheLastLine() throws IOException {
        byte[] corrupt = gzip(utf8(numberedJsonLines(1_000)));
        corrupt[corrupt.length - 8] ^= 0x55;

        try (RecordReader reader = open(JSON_LINES, corrupt)) {
            for (long line = 1; line <= 1_000; line++) {
                assertEquals(line, parsed(reader.next().orElseThrow()).line());
            }
            UnreadableObjectException e = assertThrows(UnreadableObjectException.class, reader::next);
            assertEquals("corrupt gzip stream: Corrupt GZIP trailer at line 1001", e.reason());
            assertEquals(1_001L, e.line());
        }
    }

    @Test
    void damageFoundWhileCheckingForBinaryContentComesAfterTheLinesBeforeIt() throws IOException {
        byte[] corrupt = gzip(utf8("{\"id\":1}\n{\"id\":2}\n"));
        corrupt[corrupt.length - 8] ^= 0x55;

        try (RecordReader reader = open(JSON_LINES, corrupt)) {
            assertEquals(1L, parsed(reader.next().orElseThrow()).line());
            assertEquals(2L, parsed(reader.next().orElseThrow()).line());
            UnreadableObjectException e = assertThrows(UnreadableObjectException.class, reader::next);
            assertEquals("corrupt gzip stream: Corrupt GZIP trailer at line 3", e.reason());
            assertEquals(3L, e.line());
        }
    }

    @Test
    void aQuotedCsvRecordCutByDamageIsWhereTheDamageStarts() throws IOException {
        byte[] object = concat(gzip(utf8("id,note\n1,plain\n2,\"first line\n")), utf8("not gzip\n"));

        try (RecordReader reader = open(CSV, object)) {
            assertEquals(2L, ((ReadResult.Row) reader.next().orElseThrow()).line());
            UnreadableObjectException e = assertThrows(UnreadableObjectException.class, reader::next);
            assertEquals(3L, e.line(), "the record that could not be finished starts on line 3");
        }
    }

    @Test
    void gzipHeaderWithAnUnknownMethodIsUnreadable() {
        byte[] corrupt = gzip(utf8("{\"id\":1}\n"));
        corrupt[2] = 7;

        UnreadableObjectException e = assertThrows(UnreadableObjectException.class, () -> open(JSON_LINES, corrupt));
        assertEquals("corrupt gzip stream: Unsupported compression method at line 1", e.reason());
    }

    @Test
    void closingTheReaderClosesTheObjectStream() throws IOException {
        boolean[] closed = {false};
        ByteArrayInputStream raw = new ByteArrayInputStream(utf8("{}\n")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        RecordReaders.open(JSON_LINES, raw, ReaderLimits.defaults()).close();
        assertTrue(closed[0]);
    }

    @Test
    void limitsDefaultTo1MiBAndMustBePositive() {
        assertEquals(1024 * 1024, ReaderLimits.defaults().maxRecordBytes());
        assertThrows(IllegalArgumentException.class, () -> new ReaderLimits(0));
    }

    /** Lines that do not compress to nothing, so that a cut in the gzip lands mid-content. */
    private static String numberedJsonLines(int count) {
        Random random = new Random(42);
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            lines.append("{\"id\":").append(i).append(",\"v\":").append(random.nextLong()).append("}\n");
        }
        return lines.toString();
    }

    /** Decompresses as far as the data allows, one byte at a time, counting the complete lines. */
    private static long completeLinesBeforeFailure(byte[] truncatedGzip) throws IOException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(truncatedGzip))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                content.write(b);
            }
        } catch (IOException expected) {
            return content.toString().chars().filter(c -> c == '\n').count();
        }
        throw new AssertionError("the gzip stream was not truncated");
    }
}
