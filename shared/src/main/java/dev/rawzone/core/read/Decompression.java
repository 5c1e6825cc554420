package dev.rawzone.core.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Opens an object's bytes as its content, gunzipping when the content (not the name) says gzip. */
public final class Decompression {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private Decompression() {}

    /**
     * Content of {@code raw}: gunzipped (all members of a multi-member gzip) if it starts with the gzip magic
     * bytes, otherwise the bytes as they are. Reads of {@code raw} are buffered. A damaged gzip stream, or bytes
     * after its last member that are not another member, fail with a {@link DamagedGzipException} from
     * {@code open} or from a later read.
     */
    public static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
        if (!startsWithGzipMagic(buffered)) {
            return buffered;
        }
        return new GzipMembersInputStream(buffered, BUFFER_BYTES);
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        return head.length == 2 && (head[0] & 0xff) == GZIP_MAGIC_1 && (head[1] & 0xff) == GZIP_MAGIC_2;
    }
}
