package dev.rawzone.core.read;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens an object's bytes as its content, gunzipping when the content (not the name) says gzip. */
public final class Decompression {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private Decompression() {}

    /**
     * Content of {@code raw}: gunzipped (all members of a multi-member gzip) if it starts with the gzip magic
     * bytes, otherwise the bytes as they are. Reads of {@code raw} are buffered. A damaged gzip stream fails
     * with an {@link IOException} from {@code open} or from a later read.
     */
    public static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
        if (!startsWithGzipMagic(buffered)) {
            return buffered;
        }
        try {
            return new CheckedGzipInputStream(new EndAwareInputStream(buffered));
        } catch (EOFException e) {
            throw new DamagedGzipException("gzip stream truncated", e);
        } catch (ZipException e) {
            throw new DamagedGzipException("corrupt gzip stream: " + e.getMessage(), e);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        return head.length == 2 && (head[0] & 0xff) == GZIP_MAGIC_1 && (head[1] & 0xff) == GZIP_MAGIC_2;
    }

    /**
     * GZIPInputStream only looks for a further gzip member when {@code available()} is positive at the end of
     * a member; network streams often answer 0 there, which would silently drop every later member. This
     * stream answers 0 only at the real end, blocking if needed to find out.
     */
    private static final class EndAwareInputStream extends FilterInputStream {

        EndAwareInputStream(BufferedInputStream in) {
            super(in);
        }

        @Override
        public int available() throws IOException {
            int buffered = in.available();
            if (buffered > 0) {
                return buffered;
            }
            in.mark(1);
            int next = in.read();
            in.reset();
            return next < 0 ? 0 : 1;
        }
    }

    /** Reports damaged gzip content as {@link DamagedGzipException}, so it is not mistaken for a network failure. */
    private static final class CheckedGzipInputStream extends GZIPInputStream {

        CheckedGzipInputStream(InputStream in) throws IOException {
            super(in, BUFFER_BYTES);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (EOFException e) {
                throw new DamagedGzipException("gzip stream truncated", e);
            } catch (ZipException e) {
                throw new DamagedGzipException("corrupt gzip stream: " + e.getMessage(), e);
            }
        }
    }
}
