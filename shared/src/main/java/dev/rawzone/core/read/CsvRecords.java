package dev.rawzone.core.read;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Splits CSV content into records; a record spans lines while a quoted field is open. */
final class CsvRecords implements Closeable {

    /** A record starting at {@code line}; {@code fields} is empty when there is a {@code problem}. */
    record CsvRecord(long line, List<String> fields, String raw, Optional<String> problem) {}

    private final LineSplitter lines;
    private final int maxRecordBytes;
    private final CsvFields fields = new CsvFields();

    CsvRecords(LineSplitter lines, int maxRecordBytes) {
        this.lines = lines;
        this.maxRecordBytes = maxRecordBytes;
    }

    ReadProgress progress() {
        return lines.progress();
    }

    void skipTo(ReadProgress target) throws IOException {
        lines.skipTo(target);
    }

    /** The next record, skipping blank lines before it; empty at end of input. */
    Optional<CsvRecord> next() throws IOException {
        fields.reset();
        StringBuilder raw = new StringBuilder();
        long start = 0;
        long size = 0;
        boolean exceeded = false;
        String problem = null;
        Optional<LineSplitter.Line> next;
        // Once over the limit, a budget of 0 sends every further byte of the record to fields.skipped only.
        while ((next = nextLine(exceeded ? 0 : (int) (maxRecordBytes - size), start)).isPresent()) {
            LineSplitter.Line line = next.get();
            if (start == 0) {
                if (line.length() == 0) {
                    continue;
                }
                start = line.number();
            }
            if (!exceeded) {
                String text = line.text();
                raw.append(text);
                if (line.length() > maxRecordBytes - size) {
                    exceeded = true;
                    problem = firstOf(problem, exceedsLimit());
                } else {
                    size += line.length();
                    fields.feed(text);
                    if (line.invalidUtf8At().isPresent()) {
                        problem = firstOf(problem, invalidUtf8(line, start));
                    }
                }
            }
            if (!fields.inQuotedField()) {
                return Optional.of(finish(start, raw, problem));
            }
            if (!exceeded) {
                size += line.lineBreak().length();
                if (size > maxRecordBytes) {
                    exceeded = true;
                    problem = firstOf(problem, exceedsLimit());
                } else {
                    raw.append(line.lineBreak());
                    fields.lineBreak(line.lineBreak());
                }
            }
        }
        if (start == 0) {
            return Optional.empty();
        }
        return Optional.of(rejected(start, raw, firstOf(problem, "unterminated quoted field")));
    }

    /** A record cut short by damage is part of what the damage makes unreadable: it starts there. */
    private Optional<LineSplitter.Line> nextLine(int maxBytes, long start) throws IOException {
        try {
            return lines.next(maxBytes, fields);
        } catch (UnreadableObjectException e) {
            throw start == 0 ? e : e.fromLine(start);
        }
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private CsvRecord finish(long start, StringBuilder raw, String problem) {
        String reason = firstOf(problem, fields.error().orElse(null));
        return reason == null
                ? new CsvRecord(start, fields.finish(), raw.toString(), Optional.empty())
                : rejected(start, raw, reason);
    }

    private static CsvRecord rejected(long start, StringBuilder raw, String reason) {
        return new CsvRecord(start, List.of(), raw.toString(), Optional.of(reason));
    }

    private String exceedsLimit() {
        return "record exceeds " + maxRecordBytes + " bytes";
    }

    private static String invalidUtf8(LineSplitter.Line line, long start) {
        String where = line.number() == start ? "the line" : "line " + line.number();
        return "invalid UTF-8 at byte " + line.invalidUtf8At().getAsInt() + " of " + where;
    }

    private static String firstOf(String problem, String another) {
        return problem != null ? problem : another;
    }
}
