package dev.rawzone.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RejectedTest {

    private static final int LIMIT = 64 * 1024;

    @Test
    void shortRawTextIsKept() {
        assertEquals("a,b", new ReadResult.Rejected(1, "reason", "a,b").raw());
    }

    @Test
    void rawTextIsTruncatedTo64KiBOfUtf8() {
        String ascii = "x".repeat(LIMIT + 10);
        assertEquals(ascii.substring(0, LIMIT), new ReadResult.Rejected(1, "reason", ascii).raw());
    }

    @Test
    void truncationDoesNotSplitACharacter() {
        String raw = new ReadResult.Rejected(1, "reason", "x" + "\uD83D\uDE00".repeat(LIMIT / 4)).raw();

        assertEquals("x" + "\uD83D\uDE00".repeat(LIMIT / 4 - 1), raw);
        assertEquals(LIMIT - 3, raw.getBytes(StandardCharsets.UTF_8).length);
    }
}
