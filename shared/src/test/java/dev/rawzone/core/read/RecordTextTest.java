package dev.rawzone.core.read;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecordTextTest {

    @Test
    void aRecordSpanningLinesIsStoredOnOneWithoutItsBomAndSurroundingWhitespace() {
        byte[] sent = "\uFEFF \r\n{\"a\":\r\n 1,\n\"b\":\"é\"}\n\t".getBytes(StandardCharsets.UTF_8);

        RecordText.Checked checked = RecordText.ofUtf8(sent, 0, sent.length);

        assertEquals("{\"a\": 1,\"b\":\"é\"}", new String(checked.text(), StandardCharsets.UTF_8));
        assertEquals(OptionalInt.empty(), checked.firstInvalid());
    }

    @Test
    void aRecordAlreadyInItsStoredFormIsItsOwnArray() {
        byte[] sent = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        assertEquals(sent, RecordText.ofUtf8(sent, 0, sent.length).text());
    }

    @Test
    void checkingWhileScanningFindsWhatTheSeparatePassesFind() {
        Random random = new Random(20261203);
        byte[] pieces = {0x41, ' ', '\n', '\r', '\t', (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
                (byte) 0xE0, (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xBB, (byte) 0xF0, (byte) 0x90,
                (byte) 0xF4, (byte) 0x8F, (byte) 0xF5};
        for (int run = 0; run < 100_000; run++) {
            byte[] bytes = new byte[1 + random.nextInt(10)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = pieces[random.nextInt(pieces.length)];
            }
            int from = random.nextInt(bytes.length);

            RecordText.Checked checked = RecordText.ofUtf8(bytes, from, bytes.length);

            OptionalInt invalid = Utf8.firstInvalid(bytes, from, bytes.length);
            assertEquals(invalid, checked.firstInvalid(), () -> Utf8Test.hex(bytes, from));
            if (invalid.isPresent()) {
                assertNull(checked.text());
            } else {
                assertArrayEquals(RecordText.of(bytes, from, bytes.length), checked.text(),
                        () -> Utf8Test.hex(bytes, from));
            }
        }
    }
}
