package dev.rawzone.core.read;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

final class ReadFixtures {

    private ReadFixtures() {}

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One gzip member per argument, concatenated. */
    static byte[] gzip(byte[]... members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] member : members) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                gzip.write(member);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.writeBytes(compressed.toByteArray());
        }
        return out.toByteArray();
    }

    static RecordReader open(SourceFormat format, byte[] content) throws IOException {
        return open(format, content, ReaderLimits.defaults());
    }

    static RecordReader open(SourceFormat format, byte[] content, ReaderLimits limits) throws IOException {
        return RecordReaders.open(format, new ByteArrayInputStream(content), limits);
    }

    static List<ReadResult> readAll(SourceFormat format, byte[] content) throws IOException {
        return readAll(format, content, ReaderLimits.defaults());
    }

    static List<ReadResult> readAll(SourceFormat format, byte[] content, ReaderLimits limits) throws IOException {
        try (RecordReader reader = open(format, content, limits)) {
            return drain(reader);
        }
    }

    static List<ReadResult> drain(RecordReader reader) throws IOException {
        List<ReadResult> results = new ArrayList<>();
        for (Optional<ReadResult> next = reader.next(); next.isPresent(); next = reader.next()) {
            results.add(next.get());
        }
        return results;
    }

    static ReadResult.Parsed parsed(ReadResult result) {
        return assertInstanceOf(ReadResult.Parsed.class, result);
    }

    static ReadResult.Row row(ReadResult result) {
        return assertInstanceOf(ReadResult.Row.class, result);
    }

    static ReadResult.Rejected rejected(ReadResult result) {
        return assertInstanceOf(ReadResult.Rejected.class, result);
    }

    static List<Long> lines(List<ReadResult> results) {
        return results.stream().map(ReadResult::line).toList();
    }
}
