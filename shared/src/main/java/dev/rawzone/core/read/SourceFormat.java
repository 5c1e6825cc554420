package dev.rawzone.core.read;

import java.util.Locale;
import java.util.Optional;

/** Record format of an object, known from its key's extension. */
public enum SourceFormat {
    JSON_LINES,
    CSV;

    /**
     * Format named by the key's extension ({@code .jsonl}, {@code .ndjson}, {@code .json}, {@code .csv}),
     * case-insensitive and optionally followed by {@code .gz} or {@code .gzip}. Compression itself is detected
     * from content when the object is read, not from the name.
     */
    public static Optional<SourceFormat> fromKey(String key) {
        String name = withoutCompressionSuffix(key.toLowerCase(Locale.ROOT));
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Optional.of(JSON_LINES);
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        return Optional.empty();
    }

    private static String withoutCompressionSuffix(String name) {
        for (String suffix : new String[] {".gz", ".gzip"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
