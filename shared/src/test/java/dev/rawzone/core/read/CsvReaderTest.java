package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.concat;
import static dev.rawzone.core.read.ReadFixtures.gzip;
import static dev.rawzone.core.read.ReadFixtures.lines;
import static dev.rawzone.core.read.ReadFixtures.row;
import static dev.rawzone.core.read.ReadFixtures.readAll;
import static dev.rawzone.core.read.ReadFixtures.rejected;
import static dev.rawzone.core.read.ReadFixtures.utf8;
import static dev.rawzone.core.read.SourceFormat.CSV;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvReaderTest {

    @Test
    void eachRowBecomesAnObjectOfHeaderToStringValue() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("id,name\n1,alice\n2,bob\n"));

        assertEquals(List.of(2L, 3L), lines(results));
        assertEquals(object("id", "1", "name", "alice"), row(results.get(0)).record());
        assertEquals(object("id", "2", "name", "bob"), row(results.get(1)).record());
    }

    @Test
    void readsGzippedAndMultiMemberGzippedContent() throws IOException {
        List<ReadResult> results = readAll(CSV, gzip(utf8("id,name\n1,al"), utf8("ice\n2,bob\n")));

        assertEquals(List.of(2L, 3L), lines(results));
        assertEquals(object("id", "1", "name", "alice"), row(results.get(0)).record());
    }

    @Test
    void crlfLineBreaksAreNotPartOfValues() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("id,name\r\n1,alice\r\n2,bob"));

        assertEquals(List.of(2L, 3L), lines(results));
        assertEquals(object("id", "1", "name", "alice"), row(results.get(0)).record());
        assertEquals(object("id", "2", "name", "bob"), row(results.get(1)).record());
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("\uFEFFid,name\n1,alice\n"));
        assertEquals(object("id", "1", "name", "alice"), row(results.get(0)).record());
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaksAndKeepTheirStartLine() throws IOException {
        String content = "id,text\n"
                + "1,\"a, b\"\n"
                + "2,\"say \"\"hi\"\"\"\n"
                + "3,\"first\n"
                + "\n"
                + "third\"\n"
                + "\"4\",\"\"\n"
                + "5,\"x\r\ny\"\r\n"
                + "6,end\n";
        List<ReadResult> results = readAll(CSV, utf8(content));

        assertEquals(List.of(2L, 3L, 4L, 7L, 8L, 10L), lines(results));
        assertEquals("a, b", value(results.get(0), "text"));
        assertEquals("say \"hi\"", value(results.get(1), "text"));
        assertEquals("first\n\nthird", value(results.get(2), "text"));
        assertEquals(object("id", "4", "text", ""), row(results.get(3)).record());
        assertEquals("x\r\ny", value(results.get(4), "text"));
        assertEquals("end", value(results.get(5), "text"));
    }

    @Test
    void whitespaceAndEmptyFieldsArePreserved() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("a,b,c\n x , y ,\n,,\n"));

        assertEquals(object("a", " x ", "b", " y ", "c", ""), row(results.get(0)).record());
        assertEquals(object("a", "", "b", "", "c", ""), row(results.get(1)).record());
    }

    @Test
    void rowWithTheWrongNumberOfFieldsIsRejected() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("a,b\n1\n1,2,3\n\"x,y\"\n4,5\n"));

        assertEquals(List.of(2L, 3L, 4L, 5L), lines(results));
        assertEquals(new ReadResult.Rejected(2, "expected 2 fields, found 1", "1"), results.get(0));
        assertEquals(new ReadResult.Rejected(3, "expected 2 fields, found 3", "1,2,3"), results.get(1));
        assertEquals(new ReadResult.Rejected(4, "expected 2 fields, found 1", "\"x,y\""), results.get(2));
        assertEquals(object("a", "4", "b", "5"), row(results.get(3)).record());
    }

    @Test
    void unterminatedQuoteAtEndOfInputIsRejectedAtItsStartLine() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("a,b\n1,2\n3,\"open\n4,5\n"));

        assertEquals(List.of(2L, 3L), lines(results));
        assertEquals(new ReadResult.Rejected(3, "unterminated quoted field", "3,\"open\n4,5\n"), results.get(1));
    }

    @Test
    void badQuotingRejectsOnlyItsOwnRow() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("a,b\n1,5\" screen\n\"x\"y,2\n3,4\n"));

        assertEquals(List.of(2L, 3L, 4L), lines(results));
        assertEquals("unexpected quote in unquoted field 2", rejected(results.get(0)).reason());
        assertEquals("unexpected character after closing quote in field 1", rejected(results.get(1)).reason());
        assertEquals("\"x\"y,2", rejected(results.get(1)).raw());
        assertEquals(object("a", "3", "b", "4"), row(results.get(2)).record());
    }

    @Test
    void blankLinesBetweenRecordsAreSkippedButCounted() throws IOException {
        List<ReadResult> results = readAll(CSV, utf8("\n\nname\nalice\n\r\n\nbob\n\n"));

        assertEquals(List.of(4L, 7L), lines(results));
        assertEquals(object("name", "bob"), row(results.get(1)).record());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "\uFEFF"})
    void objectWithoutRecordsHasNoHeaderAndNoRows(String content) throws IOException {
        assertEquals(List.of(), readAll(CSV, utf8(content)));
    }

    @Test
    void headerOnlyMeansNoRows() throws IOException {
        assertEquals(List.of(), readAll(CSV, utf8("a,b\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a,,c                    | CSV header has an empty column name at position 2",
        "a,b,                    | CSV header has an empty column name at position 3",
        "a, ,c                   | CSV header has an empty column name at position 2",
        "a,b,a                   | CSV header has duplicate column name \"a\"",
        "a,\"open                | CSV header unreadable: unterminated quoted field",
        "a,b\"c                  | CSV header unreadable: unexpected quote in unquoted field 2",
    })
    void badHeaderMakesTheObjectUnreadable(String header, String reason) {
        UnreadableObjectException e = assertThrows(
                UnreadableObjectException.class, () -> readAll(CSV, utf8("\n" + header + "\n1,2,3\n")));

        assertEquals(reason, e.reason());
        assertEquals(2L, e.line());
    }

    @Test
    void invalidUtf8RowIsRejectedAndTheRowsAroundItStillRead() throws IOException {
        byte[] content = concat(utf8("a,b\n1,2\n3,"), new byte[] {(byte) 0xFF}, utf8("\n5,6\n"));
        List<ReadResult> results = readAll(CSV, content);

        assertEquals(List.of(2L, 3L, 4L), lines(results));
        assertEquals(new ReadResult.Rejected(3, "invalid UTF-8 at byte 3 of the line", "3,\uFFFD"), results.get(1));
        assertEquals(object("a", "5", "b", "6"), row(results.get(2)).record());
    }

    @Test
    void invalidUtf8OnALaterLineOfAQuotedRecordNamesThatLine() throws IOException {
        byte[] content = concat(utf8("a,b\n1,\"x\ny"), new byte[] {(byte) 0xFF}, utf8("\"\n5,6\n"));
        List<ReadResult> results = readAll(CSV, content);

        assertEquals(List.of(2L, 4L), lines(results));
        assertEquals("invalid UTF-8 at byte 2 of line 3", rejected(results.get(0)).reason());
        assertEquals("1,\"x\ny\uFFFD\"", rejected(results.get(0)).raw());
    }

    @Test
    void overLongLineIsRejectedAndTheNextRowReadsCorrectly() throws IOException {
        String longRow = "1," + "x".repeat(5_000);
        List<ReadResult> results = readAll(CSV, utf8("a,b\n" + longRow + "\n3,4\n"), new ReaderLimits(100));

        assertEquals(List.of(2L, 3L), lines(results));
        assertEquals(new ReadResult.Rejected(2, "record exceeds 100 bytes", longRow), results.get(0));
        assertEquals(object("a", "3", "b", "4"), row(results.get(1)).record());
    }

    @Test
    void recordSpanningLinesIsLimitedAsAWhole() throws IOException {
        String content = "a,b\n1,\"" + "x\n".repeat(30) + "\"\n3,4\n";
        List<ReadResult> results = readAll(CSV, utf8(content), new ReaderLimits(50));

        assertEquals(List.of(2L, 33L), lines(results));
        assertEquals("record exceeds 50 bytes", rejected(results.get(0)).reason());
        assertEquals(object("a", "3", "b", "4"), row(results.get(1)).record());
    }

    @Test
    void quoteClosingInsideTheSkippedPartOfAnOverLongLineEndsTheRecord() throws IOException {
        String content = "a,b\n1,\"open\n" + "x".repeat(100_000) + "\"\"y\",tail\n3,4\n";
        List<ReadResult> results = readAll(CSV, utf8(content), new ReaderLimits(50));

        assertEquals(List.of(2L, 4L), lines(results));
        assertEquals("record exceeds 50 bytes", rejected(results.get(0)).reason());
        assertEquals(object("a", "3", "b", "4"), row(results.get(1)).record());
    }

    @Test
    void quoteOpenedInsideTheSkippedPartOfAnOverLongLineContinuesTheRecord() throws IOException {
        String content = "a,b\n1," + "x".repeat(100_000) + ",\"still open\n2,3\nclosed\"\n4,5\n";
        List<ReadResult> results = readAll(CSV, utf8(content), new ReaderLimits(50));

        assertEquals(List.of(2L, 5L), lines(results));
        assertEquals("record exceeds 50 bytes", rejected(results.get(0)).reason());
        assertEquals(object("a", "4", "b", "5"), row(results.get(1)).record());
    }

    private static String value(ReadResult result, String column) {
        return row(result).record().get(column).asText();
    }

    private static ObjectNode object(String... namesAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return node;
    }
}
