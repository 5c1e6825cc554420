package dev.rawzone.core.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * JSON Lines: one JSON object per line; lines of JSON whitespace only are not records. A record is parsed once,
 * from the line's bytes, to validate it, and keeps those bytes as its {@link ReadResult.Parsed#text()}: the
 * whitespace around the object on its line is trimmed (JSON gives it no meaning), nothing inside is rewritten.
 * A record with a duplicate key is rejected; numbers of any size or precision are kept (see {@link StrictJson}).
 */
final class JsonLinesReader implements RecordReader {

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
            if (!RecordText.isBlank(line.buffer(), line.from(), line.to())) {
                return Optional.of(parse(line));
            }
        }
        return Optional.empty();
    }

    @Override
    public ReadProgress progress() {
        return lines.progress();
    }

    @Override
    public void skipTo(ReadProgress target) throws IOException {
        lines.skipTo(target);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private static ReadResult parse(LineSplitter.Line line) throws IOException {
        JsonNode node;
        try {
            node = StrictJson.readTree(line.buffer(), line.from(), line.to());
        } catch (JsonProcessingException e) {
            return new ReadResult.Rejected(line.number(), "invalid JSON: " + StrictJson.describe(e), line.text());
        }
        if (node instanceof ObjectNode record) {
            return new ReadResult.Parsed(line.number(), record, RecordText.copyOf(line.buffer(), line.from(), line.to()));
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return new ReadResult.Rejected(line.number(), "not a JSON object: " + type, line.text());
    }

    private static Optional<ReadResult> rejected(LineSplitter.Line line, String reason) {
        return Optional.of(new ReadResult.Rejected(line.number(), reason, line.text()));
    }
}
