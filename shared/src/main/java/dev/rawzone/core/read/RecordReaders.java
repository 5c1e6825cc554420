package dev.rawzone.core.read;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/** Opens record readers over an object's stream. */
public final class RecordReaders {

    private static final int BINARY_CHECK_BYTES = 8 * 1024;

    private RecordReaders() {}

    /**
     * A reader of {@code raw} (plain or gzip) in the given format; closing it closes {@code raw}. If this method
     * throws, {@code raw} is left for the caller to close.
     *
     * @throws UnreadableObjectException if the content is binary, the gzip stream is damaged at its start, or a
     *     CSV header is invalid
     */
    public static RecordReader open(SourceFormat format, InputStream raw, ReaderLimits limits) throws IOException {
        InputStream content;
        try {
            content = Decompression.open(raw);
        } catch (DamagedGzipException e) {
            throw e.atLine(1);
        }
        byte[] head = new byte[BINARY_CHECK_BYTES];
        int headLength = readHead(content, head);
        if (containsNul(head, headLength)) {
            throw new UnreadableObjectException("binary content, not text", 0);
        }
        LineSplitter lines = new LineSplitter(
                new SequenceInputStream(new ByteArrayInputStream(head, 0, headLength), content));
        return switch (format) {
            case JSON_LINES -> new JsonLinesReader(lines, limits);
            case CSV -> CsvReader.open(lines, limits);
        };
    }

    private static int readHead(InputStream content, byte[] head) throws IOException {
        int length = 0;
        try {
            int read;
            while (length < head.length && (read = content.read(head, length, head.length - length)) >= 0) {
                length += read;
            }
        } catch (DamagedGzipException e) {
            throw e.atLine(1 + count(head, length, (byte) '\n'));
        }
        return length;
    }

    private static boolean containsNul(byte[] bytes, int length) {
        return count(bytes, length, (byte) 0) > 0;
    }

    private static int count(byte[] bytes, int length, byte value) {
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == value) {
                count++;
            }
        }
        return count;
    }
}
