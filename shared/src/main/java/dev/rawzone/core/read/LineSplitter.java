package dev.rawzone.core.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Splits content into physical lines on {@code \n}, dropping a trailing {@code \r} and a UTF-8 byte order mark at
 * the start, and checks each line is strict UTF-8. Holds at most one line, and of a line longer than the
 * caller's limit only its first {@link ReadResult.Rejected#RAW_LIMIT_BYTES} bytes are kept.
 * <p>
 * A line that lies whole in the bytes read so far (nearly every line) is found, and seen to be ASCII or not, in
 * one pass over those bytes, eight at a time, and is handed out where it lies, not copied; only a line that is not
 * ASCII is checked for UTF-8 in a second pass. A line that spans two reads is gathered into a buffer of its own.
 */
final class LineSplitter implements Closeable {

    /** Receives, in order, every byte of a line longer than the caller's limit, except its line break. */
    @FunctionalInterface
    interface Overflow {
        Overflow IGNORE = (bytes, from, to) -> {};

        void skipped(byte[] bytes, int from, int to);
    }

    /**
     * A physical line, held in {@code buffer[from, to)}: the splitter's own buffer, valid until its next call.
     * Those bytes exclude the line break, and for a line longer than the caller's limit are only the start of the
     * line. {@code length} is the line's size in bytes without its line break. {@code invalidUtf8At} is the
     * 1-based position of the first byte that is not valid UTF-8.
     */
    record Line(long number, byte[] buffer, int from, int to, long length, String lineBreak,
                OptionalInt invalidUtf8At) {

        /** A copy of the line's bytes, which outlives the splitter's next call. */
        byte[] bytes() {
            return Arrays.copyOfRange(buffer, from, to);
        }

        /** The bytes as text, with U+FFFD in place of bytes that are not valid UTF-8. */
        String text() {
            return new String(buffer, from, to - from, StandardCharsets.UTF_8);
        }
    }

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int RAW_TEXT_BYTES = ReadResult.Rejected.RAW_LIMIT_BYTES;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] CR = {'\r'};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int position;
    private int limit;
    private boolean started;
    private boolean exhausted;
    private long number;
    private long read;
    private int byteOrderMark;

    private byte[] kept = new byte[1024];
    private int keptLength;
    private int keepLimit;
    private long length;
    private byte last;
    private int maxBytes;
    private Overflow overflow;
    private boolean overflowing;
    private boolean pendingCr;
    /** Whether the bytes {@link #indexOfNewline()} last passed over, up to its newline, hold a byte that is not ASCII. */
    private boolean nonAscii;

    LineSplitter(InputStream in) {
        this.in = in;
    }

    /**
     * The next line, or empty at end of input. If the line is longer than {@code maxBytes}, its bytes go to
     * {@code overflow} as they are read instead of being held.
     */
    Optional<Line> next(int maxBytes, Overflow overflow) throws IOException {
        if (!started) {
            skipByteOrderMark();
            started = true;
        }
        if (position == limit && !refill()) {
            return Optional.empty();
        }
        int end = indexOfNewline();
        if (end >= 0 && end - position <= maxBytes) {
            return Optional.of(lineInChunk(end));
        }
        beginLine(maxBytes, overflow);
        while (true) {
            if (position == limit && !refill()) {
                return length == 0 ? Optional.empty() : Optional.of(endLine(""));
            }
            int newline = indexOfNewline();
            if (newline < 0) {
                take(position, limit);
                position = limit;
            } else {
                take(position, newline);
                position = newline + 1;
                return Optional.of(endLine(endsWithCr() ? "\r\n" : "\n"));
            }
        }
    }

    /** Where the next line starts: the lines returned or skipped so far, and their bytes with their line breaks. */
    ReadProgress progress() {
        return new ReadProgress(number, read - (limit - position) - byteOrderMark);
    }

    /**
     * Passes over lines until {@code target.lines()} have been consumed, only counting line ends: nothing is
     * copied, decoded or checked. Fails if the content ends first or the lines end at another byte offset
     * than {@code target} says (the content is not what was read before).
     */
    void skipTo(ReadProgress target) throws IOException {
        if (!started) {
            skipByteOrderMark();
            started = true;
        }
        boolean inLine = false;
        while (number < target.lines()) {
            if (position == limit && !refill()) {
                if (!inLine) {
                    throw new IllegalStateException("content ends after " + number + " lines, before line "
                            + target.lines() + " where the earlier invocation stopped");
                }
                number++; // the last line, without a line break
                inLine = false;
                continue;
            }
            int newline = indexOfNewline();
            inLine = newline < 0;
            position = inLine ? limit : newline + 1;
            if (!inLine) {
                number++;
            }
        }
        ReadProgress reached = progress();
        if (!reached.equals(target)) {
            throw new IllegalStateException("content differs from what the earlier invocation read: line "
                    + target.lines() + " ends at byte " + reached.bytes() + ", not " + target.bytes());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void beginLine(int maxBytes, Overflow overflow) {
        this.maxBytes = maxBytes;
        this.overflow = overflow;
        keepLimit = Math.max(maxBytes, RAW_TEXT_BYTES) + 1;
        keptLength = 0;
        length = 0;
        overflowing = false;
        pendingCr = false;
    }

    private void take(int from, int to) {
        if (from == to) {
            return;
        }
        int stored = Math.min(keepLimit - keptLength, to - from);
        if (stored > 0) {
            ensureCapacity(keptLength + stored);
            System.arraycopy(chunk, from, kept, keptLength, stored);
            keptLength += stored;
        }
        length += to - from;
        last = chunk[to - 1];
        if (overflowing) {
            skip(chunk, from, to);
        } else if (length > maxBytes + 1L) {
            // one byte of slack: a trailing \r is not part of the line
            overflowing = true;
            skip(kept, 0, keptLength);
            skip(chunk, from + stored, to);
        }
    }

    /** Passes bytes to the overflow, holding back a \r until it is known not to end the line. */
    private void skip(byte[] bytes, int from, int to) {
        if (from == to) {
            return;
        }
        if (pendingCr) {
            overflow.skipped(CR, 0, 1);
            pendingCr = false;
        }
        if (bytes[to - 1] == '\r') {
            pendingCr = true;
            to--;
        }
        if (from < to) {
            overflow.skipped(bytes, from, to);
        }
    }

    /** The line from {@code position} to the newline at {@code newline}, where it lies in the chunk. */
    private Line lineInChunk(int newline) {
        int from = position;
        int to = newline;
        String lineBreak = "\n";
        if (to > from && chunk[to - 1] == '\r') {
            to--;
            lineBreak = "\r\n";
        }
        position = newline + 1;
        number++;
        OptionalInt invalid = nonAscii ? Utf8.firstInvalid(chunk, from, to) : OptionalInt.empty();
        return new Line(number, chunk, from, to, to - from, lineBreak, invalid);
    }

    private Line endLine(String lineBreak) {
        number++;
        long contentLength = endsWithCr() ? length - 1 : length;
        if (!overflowing && contentLength > maxBytes) {
            overflowing = true;
            overflow.skipped(kept, 0, (int) contentLength);
        }
        if (overflowing) {
            int textEnd = charBoundary((int) Math.min(contentLength, RAW_TEXT_BYTES));
            return new Line(number, kept, 0, textEnd, contentLength, lineBreak, OptionalInt.empty());
        }
        int content = (int) contentLength;
        return new Line(number, kept, 0, content, content, lineBreak, Utf8.firstInvalid(kept, 0, content));
    }

    /** Moves {@code end} back so that the text does not end in part of a multi-byte character. */
    private int charBoundary(int end) {
        int cut = end;
        while (cut > 0 && cut < keptLength && end - cut < 3 && (kept[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }

    private boolean endsWithCr() {
        return length > 0 && last == '\r';
    }

    /**
     * The index of the next newline in the chunk, or -1; sets {@link #nonAscii} for the bytes before it. Eight bytes
     * at a time: a word holds a newline if one of its bytes XOR {@code \n} is zero (the classic zero-byte test,
     * which may also flag a byte above a true zero, so the word is then searched byte by byte).
     */
    private int indexOfNewline() {
        long seen = 0;
        int i = position;
        for (; i + Long.BYTES <= limit; i += Long.BYTES) {
            long word = (long) LONGS.get(chunk, i);
            long newlines = word ^ NEWLINES;
            if (((newlines - ONES) & ~newlines & HIGH_BITS) != 0) {
                break;
            }
            seen |= word;
        }
        for (; i < limit; i++) {
            byte b = chunk[i];
            if (b == '\n') {
                nonAscii = (seen & HIGH_BITS) != 0;
                return i;
            }
            seen |= b;
        }
        return -1;
    }

    private void ensureCapacity(int needed) {
        if (needed > kept.length) {
            kept = Arrays.copyOf(kept, (int) Math.min(Math.max(needed, 2L * kept.length), keepLimit));
        }
    }

    private void skipByteOrderMark() throws IOException {
        while (limit < BOM.length && readMore()) {
            // a stream may deliver the first bytes one at a time
        }
        if (limit >= BOM.length && Arrays.equals(chunk, 0, BOM.length, BOM, 0, BOM.length)) {
            position = BOM.length;
            byteOrderMark = BOM.length;
        }
    }

    private boolean refill() throws IOException {
        position = 0;
        limit = 0;
        return readMore();
    }

    private boolean readMore() throws IOException {
        if (exhausted) {
            return false;
        }
        int count;
        try {
            do {
                count = in.read(chunk, limit, chunk.length - limit);
            } while (count == 0);
        } catch (DamagedGzipException e) {
            throw e.atLine(number + 1);
        }
        if (count < 0) {
            exhausted = true;
            return false;
        }
        limit += count;
        read += count;
        return true;
    }
}
