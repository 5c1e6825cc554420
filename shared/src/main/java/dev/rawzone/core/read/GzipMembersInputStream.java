package dev.rawzone.core.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The content of every member of a gzip stream (RFC 1952), in order. Unlike the JDK's GZIPInputStream, which
 * stops without a word at bytes after a member that do not start another one, such bytes are damage here: they
 * fail with {@link DamagedGzipException}, as do a truncated member and a wrong CRC or size.
 */
final class GzipMembersInputStream extends InputStream {
    static final String NOT_A_MEMBER = "bytes after the end of a gzip member that are not another gzip member";

    private static final int MAGIC_1 = 0x1f;
    private static final int MAGIC_2 = 0x8b;
    private static final int DEFLATE = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buffer;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private int position;
    private int limit;
    private boolean ended;

    /** Reads the first member's header, so a stream that is not gzip at all fails here. */
    GzipMembersInputStream(InputStream in, int bufferBytes) throws IOException {
        this.in = in;
        this.buffer = new byte[bufferBytes];
        readHeader(nextByte(), nextByte());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!ended) {
            int inflated = inflate(target, offset, length);
            if (inflated > 0) {
                crc.update(target, offset, inflated);
                return inflated;
            }
            if (inflater.finished()) {
                position = limit - inflater.getRemaining();
                readTrailer();
                ended = !startNextMember();
            } else if (inflater.needsInput()) {
                if (position == limit && !fill()) {
                    throw truncated();
                }
                inflater.setInput(buffer, position, limit - position);
                position = limit;
            } else {
                throw new DamagedGzipException("corrupt gzip stream: a preset dictionary is not gzip", null);
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    private int inflate(byte[] target, int offset, int length) throws DamagedGzipException {
        try {
            return inflater.inflate(target, offset, length);
        } catch (DataFormatException e) {
            throw new DamagedGzipException("corrupt gzip stream: " + e.getMessage(), null);
        }
    }

    private void readTrailer() throws IOException {
        long expectedCrc = readUInt();
        long expectedSize = readUInt();
        if (expectedCrc != crc.getValue() || expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new DamagedGzipException("corrupt gzip stream: Corrupt GZIP trailer", null);
        }
    }

    /** @return false at the end of the input */
    private boolean startNextMember() throws IOException {
        int first = nextByte();
        if (first < 0) {
            return false;
        }
        readHeader(first, nextByte());
        inflater.reset();
        crc.reset();
        return true;
    }

    private void readHeader(int magic1, int magic2) throws IOException {
        if (magic1 >= 0 && magic1 != MAGIC_1 || magic2 >= 0 && magic2 != MAGIC_2) {
            throw new DamagedGzipException(NOT_A_MEMBER, null);
        }
        if (magic2 < 0) {
            throw truncated();
        }
        if (requireByte() != DEFLATE) {
            throw new DamagedGzipException("corrupt gzip stream: Unsupported compression method", null);
        }
        int flags = requireByte();
        skip(6);
        if ((flags & FEXTRA) != 0) {
            skip(requireByte() | requireByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
    }

    private long readUInt() throws IOException {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value |= (long) requireByte() << (8 * i);
        }
        return value;
    }

    private void skip(int bytes) throws IOException {
        for (int i = 0; i < bytes; i++) {
            requireByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (requireByte() != 0) {
            // a file name or comment we do not need
        }
    }

    private int requireByte() throws IOException {
        int next = nextByte();
        if (next < 0) {
            throw truncated();
        }
        return next;
    }

    private int nextByte() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Refills the used-up buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private static DamagedGzipException truncated() {
        return new DamagedGzipException("gzip stream truncated", null);
    }
}
