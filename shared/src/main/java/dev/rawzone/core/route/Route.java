package dev.rawzone.core.route;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Objects whose key starts with {@code prefix} belong to {@code dataset}. {@code format} ({@code "jsonl"} or
 * {@code "csv"}) forces the source format for keys whose extension does not tell it.
 */
public record Route(String prefix, String dataset, Optional<String> format) {
    /** What a dataset name may look like: it becomes part of S3 keys and schema paths. */
    public static final Pattern DATASET_NAME = Pattern.compile("[a-z0-9_]{1,64}");
    /** The formats a route may force. */
    public static final Set<String> FORMATS = Set.of("jsonl", "csv");

    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(format, "format");
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix must not be empty");
        }
        if (!isDatasetName(dataset)) {
            throw new IllegalArgumentException("dataset name \"" + dataset + "\" must match " + DATASET_NAME.pattern());
        }
        if (format.isPresent() && !FORMATS.contains(format.get())) {
            throw new IllegalArgumentException("format \"" + format.get() + "\" must be \"jsonl\" or \"csv\"");
        }
    }

    public Route(String prefix, String dataset) {
        this(prefix, dataset, Optional.empty());
    }

    /** Whether {@code key} (already URL-decoded) falls under this route. */
    public boolean matches(String key) {
        return key.startsWith(prefix);
    }

    public static boolean isDatasetName(String name) {
        return name != null && DATASET_NAME.matcher(name).matches();
    }
}
