package dev.rawzone.core.read;

import java.util.OptionalInt;

/** Strict UTF-8 checking without decoding: no buffer, no copy, one pass over the bytes. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * The 1-based position in {@code bytes[from, to)} of the first byte that starts no well-formed UTF-8 sequence
     * (an overlong form, a surrogate, a code point past U+10FFFF, a stray or missing continuation byte), or empty
     * when it is all well-formed: the same bytes and positions a strict {@link java.nio.charset.CharsetDecoder}
     * reports.
     */
    public static OptionalInt firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, to, lead);
            if (length == 0) {
                return OptionalInt.of(i - from + 1);
            }
            i += length;
        }
        return OptionalInt.empty();
    }

    /** The length of the well-formed multi-byte sequence at {@code i}, or 0 if it is not one. */
    static int sequenceLength(byte[] bytes, int i, int to, int lead) {
        int length;
        int secondMin = 0x80;
        int secondMax = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            secondMin = lead == 0xE0 ? 0xA0 : 0x80;
            secondMax = lead == 0xED ? 0x9F : 0xBF;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            secondMin = lead == 0xF0 ? 0x90 : 0x80;
            secondMax = lead == 0xF4 ? 0x8F : 0xBF;
        } else {
            return 0;
        }
        if (i + length > to) {
            return 0;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < secondMin || second > secondMax) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return length;
    }
}
