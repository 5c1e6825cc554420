package dev.rawzone.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Turns untrusted text (object keys, stream names, source names) into safe, bounded object-key segments. */
public final class KeyParts {
    private static final int MAX_SEGMENT = 80;
    private static final String EMPTY = "_";

    private KeyParts() {
    }

    /**
     * Keeps {@code [A-Za-z0-9._-]}, replaces every other run with one {@code _}, and never yields an empty,
     * {@code .} or {@code ..} segment, so the result cannot traverse or inject a path; at most
     * {@value #MAX_SEGMENT} characters.
     */
    public static String sanitise(String text) {
        return sanitise(text, MAX_SEGMENT);
    }

    /** {@link #sanitise(String)}, cut at {@code limit} characters instead. */
    public static String sanitise(String text, int limit) {
        String cleaned = text.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+|[._]+$", "");
        if (cleaned.length() > limit) {
            cleaned = cleaned.substring(0, limit);
        }
        return cleaned.isEmpty() ? EMPTY : cleaned;
    }

    /**
     * A name stem: the sanitised readable part, a dash and the fingerprint, or the fingerprint alone when nothing of
     * the readable part survives sanitising (a name of only non-ASCII letters, emoji or dots). Uniqueness comes
     * from the fingerprint; the readable part is for people listing the bucket.
     */
    public static String stem(String readable, String fingerprint) {
        String cleaned = sanitise(readable);
        return cleaned.equals(EMPTY) ? fingerprint : cleaned + "-" + fingerprint;
    }

    /** The first 16 hex digits of the SHA-256 of the parts joined by a separator none of them can contain. */
    public static String fingerprint(String... parts) {
        return sha256Hex(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
