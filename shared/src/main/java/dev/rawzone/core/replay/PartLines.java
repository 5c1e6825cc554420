package dev.rawzone.core.replay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** The records of a stored part: its gzip JSON Lines, one byte array per line, without the newlines. */
public final class PartLines {
    private PartLines() {
    }

    /** The part's lines, or empty when the bytes are not readable gzip. */
    public static Optional<List<byte[]>> read(byte[] gzip) {
        byte[] content;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            content = in.readAllBytes();
        } catch (IOException e) {
            return Optional.empty();
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                lines.add(Arrays.copyOfRange(content, start, i));
                start = i + 1;
            }
        }
        if (start < content.length) {
            lines.add(Arrays.copyOfRange(content, start, content.length));
        }
        return Optional.of(lines);
    }
}
