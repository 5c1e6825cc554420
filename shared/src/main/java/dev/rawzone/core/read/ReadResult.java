package dev.rawzone.core.read;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One record read from an object: a JSON record or a CSV row, or rejected with the reason and its raw text. */
public sealed interface ReadResult {

    /** 1-based physical line where the record starts; for CSV the header is line 1. */
    long line();

    /**
     * A JSON object. {@code text} is what the raw zone stores for it: the line's own bytes as {@link RecordText}
     * describes them, not a serialisation of {@code record}.
     */
    record Parsed(long line, ObjectNode record, byte[] text) implements ReadResult {}

    /** A CSV row: column name to the field's string value. It has no JSON text of its own. */
    record Row(long line, ObjectNode record) implements ReadResult {}

    /**
     * A record that could not be read. {@code raw} is its text as far as it could be decoded (invalid bytes
     * replaced by U+FFFD), truncated to {@link #RAW_LIMIT_BYTES} bytes of UTF-8.
     */
    record Rejected(long line, String reason, String raw) implements ReadResult {

        public static final int RAW_LIMIT_BYTES = 64 * 1024;

        public Rejected {
            raw = truncate(raw);
        }

        private static String truncate(String text) {
            if (text.length() <= RAW_LIMIT_BYTES / 3) {
                return text;
            }
            int bytes = 0;
            for (int i = 0; i < text.length(); ) {
                int codePoint = text.codePointAt(i);
                bytes += utf8Length(codePoint);
                if (bytes > RAW_LIMIT_BYTES) {
                    return text.substring(0, i);
                }
                i += Character.charCount(codePoint);
            }
            return text;
        }

        private static int utf8Length(int codePoint) {
            if (codePoint < 0x80) {
                return 1;
            }
            if (codePoint < 0x800) {
                return 2;
            }
            return codePoint < 0x10000 ? 3 : 4;
        }
    }
}
