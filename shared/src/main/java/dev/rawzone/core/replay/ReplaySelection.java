package dev.rawzone.core.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which part of the raw zone (or which failures) a replay covers. Every criterion given must hold; none given
 * selects everything.
 *
 * @param source        {@code s3}, {@code kinesis} or {@code pull}: the first segment under raw/ and quarantine/,
 *                      and which failure queue a redrive drains
 * @param dataset       the dataset segment
 * @param from          the first {@code dt=} date, inclusive
 * @param to            the last {@code dt=} date, inclusive
 * @param manifest      an S3 object manifest key: the parts it lists
 * @param keys          part keys, exactly
 * @param quarantine    redrive: re-validate quarantined records (after a schema or routing fix) instead of draining
 *                      the failure queues
 * @param schemaVersion rebuild: the generation to write (default: the dataset's current schema version)
 */
public record ReplaySelection(Optional<String> source, Optional<String> dataset, Optional<LocalDate> from,
                              Optional<LocalDate> to, Optional<String> manifest, List<String> keys, boolean quarantine,
                              Optional<Integer> schemaVersion) {
    private static final Pattern DATE = Pattern.compile("/dt=(\\d{4}-\\d{2}-\\d{2})/");
    public static final ReplaySelection ALL = new ReplaySelection(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());

    public ReplaySelection {
        keys = List.copyOf(keys);
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new IllegalArgumentException("--from " + from.get() + " is after --to " + to.get());
        }
    }

    /**
     * The listing prefix under {@code top} ({@code raw}, {@code quarantine}, {@code manifests}) narrowed by the source
     * and, with a source, the dataset: {@code raw/}, {@code raw/s3/}, {@code raw/s3/orders/}.
     */
    public String prefix(String top) {
        StringBuilder prefix = new StringBuilder(top).append('/');
        source.ifPresent(s -> {
            prefix.append(s).append('/');
            dataset.ifPresent(d -> prefix.append(d).append('/'));
        });
        return prefix.toString();
    }

    /**
     * Whether a key under raw/, quarantine/ or manifests/ is in the selection: its source, dataset and {@code dt=}
     * date (a key without one is outside any date range), or one of the {@link #keys} when those are given.
     */
    public boolean includes(String key) {
        if (!keys.isEmpty()) {
            return keys.contains(key);
        }
        String[] segments = key.split("/", 4);
        if (segments.length < 4) {
            return false;
        }
        if (source.isPresent() && !source.get().equals(segments[1])) {
            return false;
        }
        if (dataset.isPresent() && !dataset.get().equals(segments[2])) {
            return false;
        }
        if (from.isEmpty() && to.isEmpty()) {
            return true;
        }
        return date(key).filter(d -> from.map(f -> !d.isBefore(f)).orElse(true)
                && to.map(t -> !d.isAfter(t)).orElse(true)).isPresent();
    }

    /** The {@code dt=} date of a key, if it has one. */
    public static Optional<LocalDate> date(String key) {
        Matcher matcher = DATE.matcher(key);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(matcher.group(1)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        source.ifPresent(s -> node.put("source", s));
        dataset.ifPresent(d -> node.put("dataset", d));
        from.ifPresent(d -> node.put("from", d.toString()));
        to.ifPresent(d -> node.put("to", d.toString()));
        manifest.ifPresent(m -> node.put("manifest", m));
        if (!keys.isEmpty()) {
            node.set("keys", mapper.valueToTree(keys));
        }
        if (quarantine) {
            node.put("quarantine", true);
        }
        schemaVersion.ifPresent(v -> node.put("schema_version", v));
        return node;
    }

    /**
     * Reads what {@link #toJson} wrote (the ReplayFunction event's {@code selection}).
     *
     * @throws IllegalArgumentException naming the field that is malformed
     */
    public static ReplaySelection fromJson(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return ALL;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("selection must be a JSON object, not " + node);
        }
        List<String> keys = new ArrayList<>();
        JsonNode keyList = node.path("keys");
        if (!keyList.isMissingNode() && !keyList.isArray()) {
            throw new IllegalArgumentException("selection.keys must be an array of object keys");
        }
        keyList.forEach(key -> keys.add(key.asText()));
        JsonNode version = node.path("schema_version");
        if (!version.isMissingNode() && !version.canConvertToInt()) {
            throw new IllegalArgumentException("selection.schema_version must be a whole number, not " + version);
        }
        return new ReplaySelection(text(node, "source"), text(node, "dataset"), dateField(node, "from"),
                dateField(node, "to"), key(node, "manifest"), keys, node.path("quarantine").asBoolean(false),
                version.isMissingNode() ? Optional.empty() : Optional.of(version.asInt()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().contains("/")) {
            throw new IllegalArgumentException("selection." + field + " must be a name without '/', not " + value);
        }
        return Optional.of(value.asText());
    }

    private static Optional<String> key(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("selection." + field + " must be an object key, not " + value);
        }
        return Optional.of(value.asText());
    }

    private static Optional<LocalDate> dateField(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("selection." + field + " must be a date like 2026-12-01, not " + value);
        }
    }
}
