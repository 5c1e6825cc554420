package dev.rawzone.core.read;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** CSV (RFC 4180) with a required header row; each row becomes an object of column name to string value. */
final class CsvReader implements RecordReader {

    private final CsvRecords records;
    private final List<String> header;

    private CsvReader(CsvRecords records, List<String> header) {
        this.records = records;
        this.header = header;
    }

    /** Reads the header; an object without any record has no header and yields no records. */
    static CsvReader open(LineSplitter lines, ReaderLimits limits) throws IOException {
        CsvRecords records = new CsvRecords(lines, limits.maxRecordBytes());
        Optional<CsvRecords.CsvRecord> header = records.next();
        return new CsvReader(records, header.isPresent() ? columns(header.get()) : List.of());
    }

    @Override
    public Optional<ReadResult> next() throws IOException {
        return records.next().map(this::toResult);
    }

    @Override
    public ReadProgress progress() {
        return records.progress();
    }

    @Override
    public void skipTo(ReadProgress target) throws IOException {
        records.skipTo(target);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }

    private ReadResult toResult(CsvRecords.CsvRecord row) {
        if (row.problem().isPresent()) {
            return new ReadResult.Rejected(row.line(), row.problem().get(), row.raw());
        }
        List<String> values = row.fields();
        if (values.size() != header.size()) {
            String reason = "expected " + header.size() + " fields, found " + values.size();
            return new ReadResult.Rejected(row.line(), reason, row.raw());
        }
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < values.size(); i++) {
            record.put(header.get(i), values.get(i));
        }
        return new ReadResult.Row(row.line(), record);
    }

    private static List<String> columns(CsvRecords.CsvRecord header) throws UnreadableObjectException {
        if (header.problem().isPresent()) {
            throw new UnreadableObjectException("CSV header unreadable: " + header.problem().get(), header.line());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = header.fields().get(i);
            if (name.isBlank()) {
                throw new UnreadableObjectException(
                        "CSV header has an empty column name at position " + (i + 1), header.line());
            }
            if (!seen.add(name)) {
                throw new UnreadableObjectException(
                        "CSV header has duplicate column name \"" + name + "\"", header.line());
            }
        }
        return header.fields();
    }
}
