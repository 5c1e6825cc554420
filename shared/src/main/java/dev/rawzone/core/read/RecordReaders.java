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
        int headLength = 0;
        InputStream rest = content;
        try {
            int read;
            while (headLength < head.length && (read = content.read(head, headLength, head.length - headLength)) >= 0) {
                headLength += read;
            }
        } catch (DamagedGzipException e) {
            rest = new DamageAhead(e, content);
        }
        if (containsNul(head, headLength)) {
            throw new UnreadableObjectException("binary content, not text", 0);
        }
        LineSplitter lines = new LineSplitter(
                new SequenceInputStream(new ByteArrayInputStream(head, 0, headLength), rest));
        return switch (format) {
            case JSON_LINES -> new JsonLinesReader(lines, limits);
            case CSV -> CsvReader.open(lines, limits);
        };
    }

    private static boolean containsNul(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Damage found while reading the head: it is reported once the lines before it have been read, so that they
     * are accounted for like lines before damage found later.
     */
    private static final class DamageAhead extends InputStream {
        private final DamagedGzipException damage;
        private final InputStream content;

        DamageAhead(DamagedGzipException damage, InputStream content) {
            this.damage = damage;
            this.content = content;
        }

        @Override
        public int read() throws IOException {
            throw damage;
        }

        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
