package dev.rawzone.core.read;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test {

    @Test
    void wellFormedTextOfEveryLengthIsAccepted() {
        byte[] text = "a é € 😀 \u0000 \uFFFF \uDBFF\uDFFF".getBytes(StandardCharsets.UTF_8);

        assertEquals(OptionalInt.empty(), Utf8.firstInvalid(text, 0, text.length));
    }

    @Test
    void findsTheSameFirstInvalidByteAsAStrictDecoder() {
        Random random = new Random(20261201);
        byte[] pieces = {0x41, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
                (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4,
                (byte) 0x8F, (byte) 0xF5, (byte) 0xFF};
        for (int run = 0; run < 100_000; run++) {
            byte[] bytes = new byte[1 + random.nextInt(8)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = pieces[random.nextInt(pieces.length)];
            }
            int from = random.nextInt(bytes.length);

            assertEquals(decoder(bytes, from), Utf8.firstInvalid(bytes, from, bytes.length), () -> hex(bytes, from));
        }
    }

    private static OptionalInt decoder(byte[] bytes, int from) {
        ByteBuffer input = ByteBuffer.wrap(bytes, from, bytes.length - from);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(input, CharBuffer.allocate(bytes.length), true);
        return result.isError() ? OptionalInt.of(input.position() - from + 1) : OptionalInt.empty();
    }

    static String hex(byte[] bytes, int from) {
        StringBuilder text = new StringBuilder("from " + from + ":");
        for (byte b : bytes) {
            text.append(String.format(" %02X", b & 0xFF));
        }
        return text.toString();
    }
}
