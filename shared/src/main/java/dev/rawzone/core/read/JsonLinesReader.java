package dev.rawzone.core.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** JSON Lines: one JSON object per line; blank lines are not records. */
final class JsonLinesReader implements RecordReader {

    // Decimals are kept as written: a double would silently change values such as 0.10 or 12345678901234567.89.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final LineSplitter lines;
    private final int maxRecordBytes;

    JsonLinesReader(LineSplitter lines, ReaderLimits limits) {
        this.lines = lines;
        this.maxRecordBytes = limits.maxRecordBytes();
    }

    @Override
    public Optional<ReadResult> next() throws IOException {
        Optional<LineSplitter.Line> next;
        while ((next = lines.next(maxRecordBytes, LineSplitter.Overflow.IGNORE)).isPresent()) {
            LineSplitter.Line line = next.get();
            if (line.length() > maxRecordBytes) {
                return rejected(line, "record exceeds " + maxRecordBytes + " bytes");
            }
            if (line.invalidUtf8At().isPresent()) {
                return rejected(line, "invalid UTF-8 at byte " + line.invalidUtf8At().getAsInt() + " of the line");
            }
            if (!line.text().isBlank()) {
                return Optional.of(parse(line));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private static ReadResult parse(LineSplitter.Line line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line.text());
        } catch (JsonProcessingException e) {
            return new ReadResult.Rejected(line.number(), "invalid JSON: " + describe(e), line.text());
        }
        if (node instanceof ObjectNode record) {
            return new ReadResult.Parsed(line.number(), record);
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return new ReadResult.Rejected(line.number(), "not a JSON object: " + type, line.text());
    }

    /** Jackson's message without the excerpt of the input it would otherwise append. */
    private static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getColumnNr() < 1
                ? e.getOriginalMessage()
                : e.getOriginalMessage() + " (column " + location.getColumnNr() + ")";
    }

    private static Optional<ReadResult> rejected(LineSplitter.Line line, String reason) {
        return Optional.of(new ReadResult.Rejected(line.number(), reason, line.text()));
    }
}
