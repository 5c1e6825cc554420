package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.concat;
import static dev.rawzone.core.read.ReadFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void splitsOnNewlineAndNumbersEveryPhysicalLine() throws IOException {
        List<LineSplitter.Line> lines = split(utf8("a\n\nb\r\nc"), 100);

        assertEquals(List.of("a", "", "b", "c"), texts(lines));
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(LineSplitter.Line::number).toList());
        assertEquals(List.of("\n", "\n", "\r\n", ""), lines.stream().map(LineSplitter.Line::lineBreak).toList());
    }

    @Test
    void aFinalNewlineDoesNotStartAnotherLine() throws IOException {
        assertEquals(List.of("a"), texts(split(utf8("a\n"), 100)));
        assertEquals(List.of(), texts(split(new byte[0], 100)));
        assertEquals(List.of(""), texts(split(utf8("\r\n"), 100)));
    }

    @Test
    void onlyATrailingCarriageReturnIsStripped() throws IOException {
        assertEquals(List.of("a\rb", "c\r"), texts(split(utf8("a\rb\nc\r\r\n"), 100)));
    }

    @Test
    void byteOrderMarkIsStrippedAtTheStartOnly() throws IOException {
        byte[] content = concat(BOM, utf8("a\n"), BOM, utf8("b\n"));
        assertEquals(List.of("a", "\uFEFFb"), texts(split(content, 100)));
    }

    @Test
    void bytesDeliveredOneAtATimeSplitTheSame() throws IOException {
        byte[] content = concat(BOM, utf8("é\r\n\nlast"));
        List<LineSplitter.Line> lines = splitAll(new LineSplitter(new OneByteAtATime(content)), 100);

        assertEquals(List.of("é", "", "last"), texts(lines));
        assertEquals(List.of("\r\n", "\n", ""), lines.stream().map(LineSplitter.Line::lineBreak).toList());
    }

    @Test
    void lengthCountsBytesWithoutTheLineBreak() throws IOException {
        List<LineSplitter.Line> lines = split(utf8("é€\r\nab\n"), 100);
        assertEquals(List.of(5L, 2L), lines.stream().map(LineSplitter.Line::length).toList());
    }

    @Test
    void invalidUtf8IsReportedAtItsOneBasedBytePositionAndReplacedInTheText() throws IOException {
        byte[] content = concat(utf8("ok\nab"), new byte[] {(byte) 0xC3, 0x28}, utf8("\nok\n"));
        List<LineSplitter.Line> lines = split(content, 100);

        assertEquals(OptionalInt.empty(), lines.get(0).invalidUtf8At());
        assertEquals(OptionalInt.of(3), lines.get(1).invalidUtf8At());
        assertEquals("ab\uFFFD(", lines.get(1).text());
        assertEquals(OptionalInt.empty(), lines.get(2).invalidUtf8At());
    }

    @Test
    void aByteThatIsNotAsciiIsSeenWhereverItFallsInAWordOfEight() throws IOException {
        for (int before = 0; before < 17; before++) {
            for (int after = 0; after < 9; after++) {
                String prefix = "a".repeat(before);
                String suffix = "b".repeat(after);
                byte[] bad = concat(utf8(LINES_BEFORE + prefix), new byte[] {(byte) 0xFF}, utf8(suffix + "\n"));
                byte[] good = utf8(LINES_BEFORE + prefix + "é" + suffix + "\r\nnext");
                String where = before + " bytes before, " + after + " after";

                List<LineSplitter.Line> badLines = splitInReadsOf(bad, 64);
                assertEquals(OptionalInt.of(before + 1), badLines.get(2).invalidUtf8At(), where);
                List<LineSplitter.Line> goodLines = splitInReadsOf(good, 64);
                assertEquals(List.of(prefix + "é" + suffix, "next"), texts(goodLines).subList(2, 4), where);
                assertEquals(OptionalInt.empty(), goodLines.get(2).invalidUtf8At(), where);
                assertEquals("\r\n", goodLines.get(2).lineBreak(), where);
            }
        }
    }

    @Test
    void lineOfExactlyTheLimitIsKeptEvenWithCrlf() throws IOException {
        List<LineSplitter.Line> lines = split(utf8("abcde\r\nabcdef\n"), 5);
        assertEquals("abcde", lines.get(0).text());
        assertEquals(5L, lines.get(0).length());
        assertEquals(6L, lines.get(1).length());
    }

    @Test
    void overLongLineGoesToTheOverflowInOrderAndTheNextLineIsIntact() throws IOException {
        String longLine = "x\r\"y,".repeat(40_000) + "end\r";
        byte[] content = utf8(longLine + "\r\nnext\n");
        ByteArrayOutputStream skipped = new ByteArrayOutputStream();
        LineSplitter splitter = new LineSplitter(new OneByteAtATime(content, 7_000));

        LineSplitter.Line first = splitter.next(10, skipped::write).orElseThrow();
        LineSplitter.Line second = splitter.next(10, skipped::write).orElseThrow();

        assertArrayEquals(utf8(longLine), skipped.toByteArray());
        assertEquals(longLine.length(), first.length());
        assertEquals(longLine.substring(0, ReadResult.Rejected.RAW_LIMIT_BYTES), first.text());
        assertEquals("\r\n", first.lineBreak());
        assertEquals(2, second.number());
        assertArrayEquals(utf8("next"), second.bytes());
        assertEquals(4, second.length());
        assertEquals("\n", second.lineBreak());
        assertEquals(OptionalInt.empty(), second.invalidUtf8At());
    }

    @Test
    void lineJustOverTheLimitGoesToTheOverflow() throws IOException {
        ByteArrayOutputStream skipped = new ByteArrayOutputStream();
        LineSplitter splitter = new LineSplitter(new ByteArrayInputStream(utf8("abcdef\r\n")));

        LineSplitter.Line line = splitter.next(5, skipped::write).orElseThrow();

        assertEquals("abcdef", skipped.toString());
        assertEquals(6L, line.length());
    }

    @Test
    void textOfAnOverLongLineDoesNotEndInAPartialCharacter() throws IOException {
        String longLine = "x" + "é".repeat(50_000);
        LineSplitter.Line line = new LineSplitter(new ByteArrayInputStream(utf8(longLine)))
                .next(100, LineSplitter.Overflow.IGNORE).orElseThrow();

        assertEquals("x" + "é".repeat(32_767), line.text());
        assertTrue(line.invalidUtf8At().isEmpty());
    }

    @Test
    void skippingToWhereAReaderStoppedLeavesTheSameNextLine() throws IOException {
        byte[] content = concat(BOM, utf8("a\r\n\nb\n" + "x".repeat(70_000) + "\nc\r\nlast"));
        for (int stop = 0; stop <= 5; stop++) {
            LineSplitter reader = new LineSplitter(new ByteArrayInputStream(content));
            for (int i = 0; i < stop; i++) {
                reader.next(100, LineSplitter.Overflow.IGNORE);
            }
            ReadProgress stopped = reader.progress();
            Optional<LineSplitter.Line> afterStop = reader.next(100, LineSplitter.Overflow.IGNORE);

            LineSplitter skipper = new LineSplitter(new OneByteAtATime(content, 1_000));
            skipper.skipTo(stopped);

            assertEquals(stopped, skipper.progress(), "after " + stop + " lines");
            assertEquals(afterStop.map(LineSplitter.Line::text), skipper.next(100, LineSplitter.Overflow.IGNORE)
                    .map(LineSplitter.Line::text), "after " + stop + " lines");
        }
    }

    @Test
    void skippingOverOtherContentThanWasReadFails() throws IOException {
        LineSplitter reader = new LineSplitter(new ByteArrayInputStream(utf8("one\ntwo\n")));
        reader.next(100, LineSplitter.Overflow.IGNORE);
        ReadProgress stopped = reader.progress();

        IllegalStateException longer = assertThrows(IllegalStateException.class,
                () -> new LineSplitter(new ByteArrayInputStream(utf8("one!\ntwo\n"))).skipTo(stopped));
        IllegalStateException shorter = assertThrows(IllegalStateException.class,
                () -> new LineSplitter(new ByteArrayInputStream(utf8("one\ntwo\n"))).skipTo(new ReadProgress(3, 8)));

        assertTrue(longer.getMessage().contains("line 1 ends at byte 5, not 4"), longer.getMessage());
        assertTrue(shorter.getMessage().contains("content ends after 2 lines"), shorter.getMessage());
    }

    /** Lines before the tested one, so that it starts inside a read, not at its first byte. */
    private static final String LINES_BEFORE = "x\n" + "y".repeat(150) + "\n";

    private static List<LineSplitter.Line> splitInReadsOf(byte[] content, int readSize) throws IOException {
        return splitAll(new LineSplitter(new OneByteAtATime(content, readSize)), 1_000);
    }

    private static List<LineSplitter.Line> split(byte[] content, int maxBytes) throws IOException {
        return splitAll(new LineSplitter(new ByteArrayInputStream(content)), maxBytes);
    }

    /** The lines, each copied out of the splitter's buffer before the next is read. */
    private static List<LineSplitter.Line> splitAll(LineSplitter splitter, int maxBytes) throws IOException {
        List<LineSplitter.Line> lines = new ArrayList<>();
        for (Optional<LineSplitter.Line> line = splitter.next(maxBytes, LineSplitter.Overflow.IGNORE);
                line.isPresent();
                line = splitter.next(maxBytes, LineSplitter.Overflow.IGNORE)) {
            LineSplitter.Line held = line.get();
            byte[] bytes = held.bytes();
            lines.add(new LineSplitter.Line(held.number(), bytes, 0, bytes.length, held.length(), held.lineBreak(),
                    held.invalidUtf8At()));
        }
        return lines;
    }

    private static List<String> texts(List<LineSplitter.Line> lines) {
        return lines.stream().map(LineSplitter.Line::text).toList();
    }

    /** Delivers at most {@code readSize} bytes per read, to split lines, CRLFs and characters across reads. */
    static final class OneByteAtATime extends InputStream {
        private final ByteArrayInputStream bytes;
        private final int readSize;

        OneByteAtATime(byte[] content) {
            this(content, 1);
        }

        OneByteAtATime(byte[] content, int readSize) {
            this.bytes = new ByteArrayInputStream(content);
            this.readSize = readSize;
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, Math.min(length, readSize));
        }
    }
}
