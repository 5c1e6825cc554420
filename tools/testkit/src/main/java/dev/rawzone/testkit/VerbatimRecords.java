package dev.rawzone.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JSON records that a pipeline re-serialising its parse would change (numbers, escapes, raw non-ASCII text,
 * whitespace, key order), and the check that the raw zone holds them byte for byte.
 */
public final class VerbatimRecords {
    private static final List<String> VARIANTS = List.of(
            "{\"negative_zero\":-0.0,%s}",
            "{\"huge\":1e400,%s}",
            "{\"trailing_zero\":1.10,%s}",
            "{\"big_integer\":12345678901234567890123,%s}",
            "{\"raw\":\"\uD83D\uDE00 Zo\u00EB\",%s}",
            "{\"escaped\":\"caf\\u00e9 http:\\/\\/example.com\\/x\",%s}",
            "{ \"spaced\" :\t[ 1 , 2 ]  ,%s }",
            "{\"zulu\":1,\"alpha\":2,%s}");

    private VerbatimRecords() {
    }

    /** One record per variant; {@code fields} gives the i-th (from 1) its required fields, without braces. */
    public static List<String> lines(IntFunction<String> fields) {
        return IntStream.range(0, VARIANTS.size())
                .mapToObj(i -> VARIANTS.get(i).formatted(fields.apply(i + 1))).toList();
    }

    /** The lines as a JSON Lines body, each ending in {@code lineBreak}. */
    public static byte[] body(List<String> lines, String lineBreak) {
        return utf8(String.join(lineBreak, lines) + lineBreak);
    }

    /**
     * The parts under {@code prefix}, gunzipped and in key order, hold exactly {@code lines} (each ending in a
     * newline), and each part's lineage has its record count and the SHA-256 of its stored bytes.
     */
    public static void assertStoredVerbatim(RawZoneReader raw, String prefix, List<String> lines) {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        int records = 0;
        for (String key : raw.parts(prefix)) {
            byte[] content = raw.content(key);
            stored.writeBytes(content);
            long count = IntStream.range(0, content.length).filter(i -> content[i] == '\n').count();
            records += (int) count;
            assertEquals(Long.toString(count), raw.metadata(key).get("record-count"), key);
            assertEquals(sha256(raw.bytes(key)), raw.metadata(key).get("content-sha256"), key);
        }
        assertEquals(lines.size(), records, "records under " + prefix);
        assertArrayEquals(body(lines, "\n"), stored.toByteArray(), () -> "stored under " + prefix + ":\n" + stored);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
