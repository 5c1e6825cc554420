package dev.rawzone.core.read;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The bytes a valid JSON record is stored as: its own UTF-8 text as the source sent it, from its first to its last
 * byte that is not JSON whitespace, without a leading byte order mark, and with every CR and LF byte left out.
 * <p>
 * Leaving out CR and LF is the one normalisation inside a record. In valid JSON they can only be insignificant
 * whitespace between tokens (inside a string they must be escaped), so no key, value, number, escape or key order
 * changes; it keeps a record that spans lines (a pretty-printed page or payload) on one JSON Lines line.
 */
public final class RecordText {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private RecordText() {
    }

    /** The stored text of the record in {@code utf8[from, to)}: {@code utf8} itself when it already is that. */
    public static byte[] of(byte[] utf8, int from, int to) {
        int start = start(utf8, from, to);
        int end = end(utf8, start, to);
        int breaks = 0;
        for (int i = start; i < end; i++) {
            if (isLineBreak(utf8[i])) {
                breaks++;
            }
        }
        return text(utf8, start, end, breaks);
    }

    /**
     * {@link #of} of bytes that must be well-formed UTF-8 (as {@link Utf8#firstInvalid} judges them), checked in the
     * same pass that counts the line breaks: one pass over a record instead of two.
     */
    public static Checked ofUtf8(byte[] bytes, int from, int to) {
        int start = start(bytes, from, to);
        int end = end(bytes, start, to);
        int breaks = 0;
        int i = start;
        while (i < end) {
            byte b = bytes[i];
            if (b >= 0) {
                if (isLineBreak(b)) {
                    breaks++;
                }
                i++;
                continue;
            }
            int length = Utf8.sequenceLength(bytes, i, end, b & 0xFF);
            if (length == 0) {
                return new Checked(null, OptionalInt.of(i - from + 1));
            }
            i += length;
        }
        return new Checked(text(bytes, start, end, breaks), OptionalInt.empty());
    }

    /** The stored text of well-formed UTF-8, or the 1-based position of the first byte that is not. */
    public record Checked(byte[] text, OptionalInt firstInvalid) {
    }

    /** {@link #of}, always in an array of its own: for a record read out of a buffer that is reused. */
    public static byte[] copyOf(byte[] utf8, int from, int to) {
        byte[] text = of(utf8, from, to);
        return text == utf8 ? utf8.clone() : text;
    }

    /** Whether {@code utf8[from, to)} holds nothing but JSON whitespace. */
    public static boolean isBlank(byte[] utf8, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isWhitespace(utf8[i])) {
                return false;
            }
        }
        return true;
    }

    /** Past a leading byte order mark and JSON whitespace (both well-formed UTF-8). */
    private static int start(byte[] utf8, int from, int to) {
        int start = from;
        if (to - start >= BOM.length && Arrays.equals(utf8, start, start + BOM.length, BOM, 0, BOM.length)) {
            start += BOM.length;
        }
        while (start < to && isWhitespace(utf8[start])) {
            start++;
        }
        return start;
    }

    private static int end(byte[] utf8, int start, int to) {
        int end = to;
        while (end > start && isWhitespace(utf8[end - 1])) {
            end--;
        }
        return end;
    }

    private static byte[] text(byte[] utf8, int start, int end, int breaks) {
        if (breaks == 0) {
            return start == 0 && end == utf8.length ? utf8 : Arrays.copyOfRange(utf8, start, end);
        }
        byte[] text = new byte[end - start - breaks];
        int length = 0;
        for (int i = start; i < end; i++) {
            if (!isLineBreak(utf8[i])) {
                text[length++] = utf8[i];
            }
        }
        return text;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || isLineBreak(b);
    }

    private static boolean isLineBreak(byte b) {
        return b == '\n' || b == '\r';
    }
}
