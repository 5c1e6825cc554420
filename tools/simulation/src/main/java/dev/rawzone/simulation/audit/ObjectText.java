package dev.rawzone.simulation.audit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An object's text as far as it can be read, without the JDK's GZIPInputStream (which drops bytes after the last
 * member without a word): each gzip member inflated, bytes after the last member that are not another member kept
 * as they are, and a member cut short kept up to the cut.
 */
public final class ObjectText {
    private ObjectText() {
    }

    public static byte[] readable(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            if (!isGzipAt(body, at)) {
                out.write(body, at, body.length - at);
                break;
            }
            int next = inflateMember(body, at, out);
            if (next < 0) {
                break;
            }
            at = next;
        }
        return out.toByteArray();
    }

    private static boolean isGzipAt(byte[] body, int at) {
        return body.length - at >= 10 && (body[at] & 0xff) == 0x1f && (body[at + 1] & 0xff) == 0x8b && body[at + 2] == 8;
    }

    /** Inflates the member at {@code at} into {@code out}; returns where the next one starts, or -1 if cut short. */
    private static int inflateMember(byte[] body, int at, ByteArrayOutputStream out) {
        int flags = body[at + 3] & 0xff;
        int header = at + 10;
        if ((flags & 4) != 0) {
            header += 2 + ((body[header] & 0xff) | (body[header + 1] & 0xff) << 8);
        }
        for (int bit : new int[] {8, 16}) {
            if ((flags & bit) != 0) {
                while (header < body.length && body[header] != 0) {
                    header++;
                }
                header++;
            }
        }
        if ((flags & 2) != 0) {
            header += 2;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(Arrays.copyOfRange(body, Math.min(header, body.length), body.length));
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                out.write(buffer, 0, n);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return -1;
                }
            }
            return body.length - inflater.getRemaining() + 8;
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
    }
}
