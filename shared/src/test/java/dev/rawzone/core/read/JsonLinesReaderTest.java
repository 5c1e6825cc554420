package dev.rawzone.core.read;

import static dev.rawzone.core.read.ReadFixtures.concat;
import static dev.rawzone.core.read.ReadFixtures.gzip;
import static dev.rawzone.core.read.ReadFixtures.lines;
import static dev.rawzone.core.read.ReadFixtures.parsed;
import static dev.rawzone.core.read.ReadFixtures.readAll;
import static dev.rawzone.core.read.ReadFixtures.rejected;
import static dev.rawzone.core.read.ReadFixtures.utf8;
import static dev.rawzone.core.read.SourceFormat.JSON_LINES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLinesReaderTest {

    private static final String TWO_RECORDS = "{\"id\":1,\"name\":\"alice\"}\n{\"id\":2,\"tags\":[\"x\"]}\n";

    @Test
    void readsOneObjectPerLine() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8(TWO_RECORDS));

        assertEquals(List.of(1L, 2L), lines(results));
        assertEquals("alice", parsed(results.get(0)).record().get("name").asText());
        assertEquals("x", parsed(results.get(1)).record().get("tags").get(0).asText());
    }

    @Test
    void readsGzippedContent() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, gzip(utf8(TWO_RECORDS)));

        assertEquals(List.of(1L, 2L), lines(results));
        assertEquals(2, parsed(results.get(1)).record().get("id").asInt());
    }

    @Test
    void readsEveryMemberOfAMultiMemberGzip() throws IOException {
        byte[] content = gzip(utf8("{\"id\":1}\n{\"id\":2}\n"), utf8("{\"id\":3}"), utf8("\n{\"id\":4}\n"));
        List<ReadResult> results = readAll(JSON_LINES, content);

        assertEquals(List.of(1L, 2L, 3L, 4L), lines(results));
        assertEquals(4, parsed(results.get(3)).record().get("id").asInt());
    }

    @Test
    void lastLineNeedsNoNewline() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{\"id\":1}\n{\"id\":2}"));
        assertEquals(List.of(1L, 2L), lines(results));
    }

    @Test
    void crlfLineBreaksAreNotPartOfTheRecord() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{\"id\":1}\r\n[1]\r\n{\"id\":3}\r\n"));

        assertEquals(List.of(1L, 2L, 3L), lines(results));
        assertEquals("[1]", rejected(results.get(1)).raw());
        parsed(results.get(2));
    }

    @Test
    void byteOrderMarkAtTheStartIsIgnored() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("\uFEFF{\"id\":1}\n\"s\"\n"));

        assertEquals(1, parsed(results.get(0)).record().get("id").asInt());
        assertEquals("\"s\"", rejected(results.get(1)).raw());
    }

    @Test
    void blankAndWhitespaceOnlyLinesAreSkippedButCounted() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("\n{\"id\":1}\n   \n\t\r\n{\"id\":2}\n\n"));

        assertEquals(List.of(2L, 5L), lines(results));
        assertEquals(2, parsed(results.get(1)).record().get("id").asInt());
    }

    @Test
    void malformedJsonIsRejectedWithJacksonsMessageButNoSourceExcerpt() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{\"id\":1}\n{\"id\":}\n{\"id\":3}\n"));

        assertEquals(List.of(1L, 2L, 3L), lines(results));
        ReadResult.Rejected bad = rejected(results.get(1));
        assertTrue(bad.reason().startsWith("invalid JSON: Unexpected character ('}'"), bad.reason());
        assertTrue(bad.reason().endsWith("(column 7)"), bad.reason());
        assertFalse(bad.reason().contains("Source"), bad.reason());
        assertEquals("{\"id\":}", bad.raw());
        parsed(results.get(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1,2]       | array",
        "\"text\"    | string",
        "42          | number",
        "true        | boolean",
        "null        | null",
    })
    void valuesOtherThanObjectsAreRejected(String line, String type) throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{}\n" + line + "\n"));

        ReadResult.Rejected bad = rejected(results.get(1));
        assertEquals(2L, bad.line());
        assertEquals("not a JSON object: " + type, bad.reason());
        assertEquals(line, bad.raw());
    }

    @Test
    void duplicateKeysAreRejected() throws IOException {
        ReadResult.Rejected bad = rejected(readAll(JSON_LINES, utf8("{\"a\":1,\"b\":2,\"a\":3}\n")).get(0));

        assertEquals(1L, bad.line());
        assertTrue(bad.reason().startsWith("invalid JSON: Duplicate field 'a'"), bad.reason());
    }

    @Test
    void anythingAfterTheObjectOnTheSameLineIsRejected() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{\"a\":1} x\n{\"a\":1}{\"b\":2}\n{\"a\":1}  \n"));

        assertTrue(rejected(results.get(0)).reason().startsWith("invalid JSON: "));
        assertTrue(rejected(results.get(1)).reason().startsWith("invalid JSON: Trailing token"));
        assertEquals(3L, parsed(results.get(2)).line());
    }

    @Test
    void invalidUtf8LineIsRejectedAndTheLinesAroundItStillRead() throws IOException {
        byte[] content = concat(
                utf8("{\"id\":1}\n{\"id\":\""), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}\n{\"id\":3}\n"));
        List<ReadResult> results = readAll(JSON_LINES, content);

        assertEquals(List.of(1L, 2L, 3L), lines(results));
        ReadResult.Rejected bad = rejected(results.get(1));
        assertEquals("invalid UTF-8 at byte 8 of the line", bad.reason());
        assertEquals("{\"id\":\"\uFFFD(\"}", bad.raw());
        assertEquals(3, parsed(results.get(2)).record().get("id").asInt());
    }

    @Test
    void overLongLineIsRejectedWithItsStartAndTheNextLineReadsCorrectly() throws IOException {
        String longLine = "{\"big\":\"" + "a".repeat(100_000) + "\"}";
        byte[] content = utf8("{\"id\":1}\n" + longLine + "\n{\"id\":3}\n");
        List<ReadResult> results = readAll(JSON_LINES, content, new ReaderLimits(1_000));

        assertEquals(List.of(1L, 2L, 3L), lines(results));
        ReadResult.Rejected bad = rejected(results.get(1));
        assertEquals("record exceeds 1000 bytes", bad.reason());
        assertEquals(longLine.substring(0, 64 * 1024), bad.raw());
        assertEquals(3, parsed(results.get(2)).record().get("id").asInt());
    }

    @Test
    void lineOfExactlyTheLimitIsRead() throws IOException {
        String line = "{\"a\":\"" + "x".repeat(92) + "\"}";
        List<ReadResult> results = readAll(JSON_LINES, utf8(line + "\r\n" + line + " \n"), new ReaderLimits(100));

        assertEquals(100, line.length());
        parsed(results.get(0));
        assertEquals("record exceeds 100 bytes", rejected(results.get(1)).reason());
    }

    @Test
    void decimalsKeepTheirExactValue() throws IOException {
        List<ReadResult> results = readAll(JSON_LINES, utf8("{\"price\":12345678901234567.89,\"rate\":0.10}\n"));

        var record = parsed(results.get(0)).record();
        assertEquals(new BigDecimal("12345678901234567.89"), record.get("price").decimalValue());
        assertEquals("0.10", record.get("rate").decimalValue().toPlainString());
    }

    @Test
    void aRecordsTextIsItsLineWithoutTheWhitespaceAroundTheObject() throws IOException {
        String record = "{\"b\":-0.0, \"a\":1e400,\"e\":\"\\u00e9\\/\u00e9\"}";
        List<ReadResult> results = readAll(JSON_LINES, utf8(" \t" + record + "  \r\n"));

        assertEquals(record, new String(parsed(results.get(0)).text(), StandardCharsets.UTF_8));
    }

    @Test
    void aDuplicateKeyInANestedObjectIsRejected() throws IOException {
        ReadResult.Rejected bad = rejected(readAll(JSON_LINES, utf8("{\"a\":{\"b\":1,\"b\":2}}\n")).get(0));

        assertTrue(bad.reason().startsWith("invalid JSON: Duplicate field 'b'"), bad.reason());
    }

    @Test
    void numbersBeyondADoubleOrALongAreReadExactly() throws IOException {
        var record = parsed(readAll(JSON_LINES, utf8("{\"a\":1e400,\"b\":12345678901234567890123,\"c\":1e-400}\n"))
                .get(0)).record();

        assertEquals(new BigDecimal("1e400"), record.get("a").decimalValue());
        assertEquals("12345678901234567890123", record.get("b").bigIntegerValue().toString());
        assertEquals(new BigDecimal("1e-400"), record.get("c").decimalValue());
    }

    @Test
    void anExponentBeyondWhatADecimalHoldsIsRejected() throws IOException {
        ReadResult.Rejected bad = rejected(readAll(JSON_LINES, utf8("{\"a\":1e9999999999}\n")).get(0));

        assertTrue(bad.reason().startsWith("invalid JSON: "), bad.reason());
    }

    @Test
    void aLineThatLooksLikeUtf16IsRejectedNotReadInAnotherEncoding() throws IOException {
        String filler = "{\"pad\":\"" + "x".repeat(8_200) + "\"}\n";
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        List<ReadResult> results = readAll(JSON_LINES, concat(utf8(filler), utf16, utf8("\n")));

        assertTrue(rejected(results.get(1)).reason().contains("NUL byte"), rejected(results.get(1)).reason());
    }
}
